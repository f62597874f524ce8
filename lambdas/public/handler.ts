/** Unauthenticated routes: the deployment's JWKS and OAuth metadata, the OpenAPI document and the developer portal. */
import { authorizationServerMetadata } from '../core/authorization-server-metadata';
import { DEFAULT_CLIENT_SCOPES } from '../core/client-settings';
import { ROUTES } from '../gateway/routes';
import { PUBLIC_JWKS_MAX_AGE_SECONDS } from '../gateway/settings';
import { depsFor, type Deps } from '../runtime/deps';
import type { RuntimeEnv } from '../runtime/env';
import { lambdaEntry } from '../runtime/entry';
import type { IntegrationHandler } from '../runtime/handler-types';
import { httpHandler, type Operation, type OperationTable } from '../runtime/http';
import { buildOpenApi } from '../gateway/openapi/document';
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

/** Scopes the API knows: every client's default ones and those routes require. */
export const KNOWN_SCOPES: readonly string[] = [...new Set([...DEFAULT_CLIENT_SCOPES, ...ROUTES.flatMap((r) => r.scopes ?? [])])];

/** RFC 8414 metadata: a function of the issuer identifier, fixed per deployment. */
function getAuthorizationServerMetadata(deps: Pick<Deps, 'issuer'>): Operation {
  const body = authorizationServerMetadata(deps.issuer, KNOWN_SCOPES);
  return async () => ({ status: 200, body, headers: { 'Cache-Control': 'public, max-age=300' } });
}

/** The document is a pure function of the code: built once per container. */
function getOpenApi(): Operation {
  let doc: Record<string, unknown> | undefined;
  return async () => ({ status: 200, body: (doc ??= buildOpenApi()), headers: { 'Cache-Control': 'public, max-age=300' } });
}

export function publicOperations(deps: Deps): OperationTable<'public'> {
  return {
    getJwks: getJwks(deps),
    getAuthorizationServerMetadata: getAuthorizationServerMetadata(deps),
    getOpenApi: getOpenApi(),
    ...portalOperations(deps),
  };
}

export function createPublic(deps: Deps): IntegrationHandler {
  return httpHandler('public', publicOperations(deps), { clock: deps.clock });
}

export function createHandler(env: RuntimeEnv): IntegrationHandler {
  return createPublic(depsFor(env, 'public'));
}

export const handler: IntegrationHandler = lambdaEntry(createHandler);
