/**
 * Picks the deployment's ApiKeyProvisioner from its environment: API Gateway's tier usage plans
 * in AWS (API_KEY_BACKEND=apigateway, set by lib/), nothing to register locally. Only the admin
 * function imports this, so no other bundle loads the API Gateway SDK.
 */
import { ApiGatewayKeyProvisioner, localKeyProvisioner, type ApiKeyProvisioner } from '../store/api-key-provisioner';
import type { Deps } from './deps';

const built = new WeakMap<object, ApiKeyProvisioner>();

export function keyProvisionerFor(deps: Pick<Deps, 'env'>): ApiKeyProvisioner {
  let provisioner = built.get(deps);
  if (provisioner) return provisioner;
  const { env } = deps;
  if (env.API_KEY_BACKEND === 'apigateway') {
    if (!env.REST_API_ID) throw new Error('API_KEY_BACKEND=apigateway needs REST_API_ID');
    provisioner = new ApiGatewayKeyProvisioner({ restApiId: env.REST_API_ID, stage: env.STAGE, tenant: env.TENANT });
  } else {
    provisioner = localKeyProvisioner;
  }
  built.set(deps, provisioner);
  return provisioner;
}
