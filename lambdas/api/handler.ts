/** The JWT-protected API (session reads are the session function's). Each operation id comes from the route table. */
import { apiKeyClientCheck, revocationCheck } from '../runtime/caller-check';
import { depsFor, type Deps } from '../runtime/deps';
import type { RuntimeEnv } from '../runtime/env';
import { lambdaEntry } from '../runtime/entry';
import type { IntegrationHandler } from '../runtime/handler-types';
import { httpHandler, type OperationTable } from '../runtime/http';
import { listCatalog } from './catalog';
import { recordEvent } from './events';
import { getSettings, getSettingsAuthFailures } from './settings';
import { clientFromToken, putKeys, revoke, rotateSecret, usage } from '../runtime/credential-operations';
import { quotaMeter } from '../runtime/quota-meter';
import { verifyAuth } from './verify-auth';

export function apiOperations(deps: Deps): OperationTable<'api'> {
  return {
    verifyAuth: verifyAuth(deps),
    recordEvent: recordEvent(deps),
    listCatalog: listCatalog(deps),
    getSettings: getSettings(deps),
    getSettingsAuthFailures: getSettingsAuthFailures(deps),
    putSettingsKeys: putKeys(deps, clientFromToken),
    rotateSettingsSecret: rotateSecret(deps, clientFromToken),
    createSettingsRevocation: revoke(deps, 'caller'),
    getSettingsUsage: usage(deps, clientFromToken),
  };
}

export function createApi(deps: Deps): IntegrationHandler {
  return httpHandler('api', apiOperations(deps), {
    clock: deps.clock,
    checkCaller: revocationCheck(deps),
    checkApiKeyClient: apiKeyClientCheck(deps),
    admit: quotaMeter(deps),
  });
}

export function createHandler(env: RuntimeEnv): IntegrationHandler {
  return createApi(depsFor(env, 'api'));
}

export const handler: IntegrationHandler = lambdaEntry(createHandler);
