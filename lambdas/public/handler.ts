/** Unauthenticated routes: the deployment's JWKS, the OpenAPI document, the SDK launch check and the developer portal. */
import { PUBLIC_JWKS_MAX_AGE_SECONDS } from '../gateway/settings';
import { depsFor, type Deps } from '../runtime/deps';
import type { RuntimeEnv } from '../runtime/env';
import { lambdaEntry } from '../runtime/entry';
import type { IntegrationHandler } from '../runtime/handler-types';
import { httpHandler, type Operation } from '../runtime/http';
import { buildOpenApi } from '../gateway/openapi/document';
import { launchSession } from './launch';
import { portalOperations } from './portal';

function getJwks(deps: Pick<Deps, 'signingKeys'>): Operation {
  return async () => {
    // A fresh deployment creates its first key here if no token was issued yet.
    let items = await deps.signingKeys.published();
    if (items.length === 0) {
      await deps.signingKeys.current();
      items = await deps.signingKeys.published();
    }
    const keys = items.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: 'ES256', use: 'sig' }));
    return { status: 200, body: { keys }, headers: { 'Cache-Control': `public, max-age=${PUBLIC_JWKS_MAX_AGE_SECONDS}` } };
  };
}

/** The document is a pure function of the code: built once per container. */
function getOpenApi(): Operation {
  let doc: Record<string, unknown> | undefined;
  return async () => ({ status: 200, body: (doc ??= buildOpenApi()), headers: { 'Cache-Control': 'public, max-age=300' } });
}

export function publicOperations(deps: Deps): Record<string, Operation> {
  return { getJwks: getJwks(deps), getOpenApi: getOpenApi(), launchSession: launchSession(deps), ...portalOperations(deps) };
}

export function createPublic(deps: Deps): IntegrationHandler {
  return httpHandler(publicOperations(deps), { clock: deps.clock });
}

export function createHandler(env: RuntimeEnv): IntegrationHandler {
  return createPublic(depsFor(env));
}

export const handler: IntegrationHandler = lambdaEntry(createHandler);
