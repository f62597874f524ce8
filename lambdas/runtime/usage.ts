/**
 * Picks the deployment's UsageBackend from its environment: API Gateway usage plans in AWS
 * (USAGE_BACKEND=apigateway, set by lib/), the table's counters locally. Only the functions
 * that create keys or read usage import this, so the authorizer's bundle never loads the
 * API Gateway SDK.
 */
import { ApiGatewayUsageBackend } from '../store/apigateway-usage';
import { TableUsageBackend, type UsageBackend } from '../store/usage-backend';
import type { Deps } from './deps';

const built = new WeakMap<Deps, UsageBackend>();

export function usageBackendFor(deps: Pick<Deps, 'env' | 'usageCounters'> & object): UsageBackend {
  let backend = built.get(deps as Deps);
  if (backend) return backend;
  const { env } = deps;
  if (env.USAGE_BACKEND === 'apigateway') {
    if (!env.REST_API_ID) throw new Error('USAGE_BACKEND=apigateway needs REST_API_ID');
    backend = new ApiGatewayUsageBackend({ restApiId: env.REST_API_ID, stage: env.STAGE, tenant: env.TENANT });
  } else {
    backend = new TableUsageBackend(deps.usageCounters);
  }
  built.set(deps as Deps, backend);
  return backend;
}
