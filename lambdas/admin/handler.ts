/**
 * The operator API. In AWS its methods use IAM authorization; locally the gateway checks
 * the operator key before this runs. Nothing here returns a secret except at creation.
 */
import { depsFor, type Deps } from '../runtime/deps';
import type { RuntimeEnv } from '../runtime/env';
import { lambdaEntry } from '../runtime/entry';
import type { IntegrationHandler } from '../runtime/handler-types';
import { httpHandler, type OperationTable } from '../runtime/http';
import { keyProvisionerFor } from '../runtime/api-keys';
import { createClient, deleteClient, getClient, updateClient } from './clients';
import { putSession } from './sessions';
import { clientFromPath, putKeys, revoke, rotateSecret, usage } from '../runtime/credential-operations';
import { rotateSigningKeys } from './credentials';

export function adminOperations(deps: Deps): OperationTable<'admin'> {
  return {
    createClient: createClient(deps, () => keyProvisionerFor(deps)),
    getClient: getClient(deps),
    updateClient: updateClient(deps, () => keyProvisionerFor(deps)),
    deleteClient: deleteClient(deps, () => keyProvisionerFor(deps)),
    putSession: putSession(deps),
    putClientKeys: putKeys(deps, clientFromPath),
    rotateClientSecret: rotateSecret(deps, clientFromPath),
    createRevocation: revoke(deps, 'operator'),
    rotateSigningKeys: rotateSigningKeys(deps),
    getClientUsage: usage(deps, clientFromPath),
  };
}

export function createAdmin(deps: Deps): IntegrationHandler {
  return httpHandler('admin', adminOperations(deps), { clock: deps.clock });
}

export function createHandler(env: RuntimeEnv): IntegrationHandler {
  return createAdmin(depsFor(env, 'admin'));
}

export const handler: IntegrationHandler = lambdaEntry(createHandler);
