/** The JWT-protected API. Each operation id comes from the route table. */
import { depsFor, type Deps } from '../runtime/deps';
import { readRuntimeEnv, type RuntimeEnv } from '../runtime/env';
import type { IntegrationHandler } from '../runtime/handler-types';
import { httpHandler, type Operation } from '../runtime/http';
import { verifyAuth } from './verify-auth';

export function apiOperations(deps: Deps): Record<string, Operation> {
  return {
    verifyAuth: verifyAuth(deps),
  };
}

export function createApi(deps: Deps): IntegrationHandler {
  return httpHandler(apiOperations(deps), { clock: deps.clock });
}

export function createHandler(env: RuntimeEnv): IntegrationHandler {
  return createApi(depsFor(env));
}

let cached: IntegrationHandler | undefined;
export const handler: IntegrationHandler = (event, context) => (cached ??= createHandler(readRuntimeEnv()))(event, context);
