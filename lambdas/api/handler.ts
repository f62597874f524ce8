/** The JWT-protected API. Each operation id comes from the route table. */
import { revocationCheck } from '../runtime/caller-check';
import { depsFor, type Deps } from '../runtime/deps';
import type { RuntimeEnv } from '../runtime/env';
import { lambdaEntry } from '../runtime/entry';
import type { IntegrationHandler } from '../runtime/handler-types';
import { httpHandler, type Operation } from '../runtime/http';
import { listCatalog } from './catalog';
import { recordEvent } from './events';
import { graphqlOperation } from './graphql';
import { launchIssuer } from './launch-issuer';
import { getSession } from './sessions';
import { getAuthFailures, getSettings } from './settings';
import { getOwnUsage, putOwnKeys, revokeOwnTokens, rotateOwnSecret } from './settings-credentials';
import { quotaMeter } from '../runtime/quota-meter';
import { verifyAuth } from './verify-auth';

export function apiOperations(deps: Deps): Record<string, Operation> {
  const issue = launchIssuer(deps);
  return {
    verifyAuth: verifyAuth(deps),
    getSession: getSession(deps, issue),
    graphql: graphqlOperation(deps, issue),
    recordEvent: recordEvent(deps),
    listCatalog: listCatalog(deps),
    getSettings: getSettings(deps),
    getSettingsAuthFailures: getAuthFailures(deps),
    putSettingsKeys: putOwnKeys(deps),
    rotateSettingsSecret: rotateOwnSecret(deps),
    createSettingsRevocation: revokeOwnTokens(deps),
    getSettingsUsage: getOwnUsage(deps),
  };
}

export function createApi(deps: Deps): IntegrationHandler {
  return httpHandler(apiOperations(deps), { clock: deps.clock, checkCaller: revocationCheck(deps), admit: quotaMeter(deps) });
}

export function createHandler(env: RuntimeEnv): IntegrationHandler {
  return createApi(depsFor(env));
}

export const handler: IntegrationHandler = lambdaEntry(createHandler);
