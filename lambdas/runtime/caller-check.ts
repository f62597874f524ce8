/**
 * The revocation check handlers run on every authenticated request (httpHandler's
 * `checkCaller`). The authorizer checks revocation too, but its cached Allow outlives a
 * revocation by up to the cache TTL (https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html); this check reads the table with strong
 * consistency and no cache (one BatchGetItem, store/caller-state.ts), so on handler routes a
 * revocation bites at once. The rule itself is core/revocation.ts, shared with the authorizer and
 * the launch check.
 */
import { assertClientActive, assertNotRevoked } from '../core/revocation';
import type { AuthenticatedEntity } from '../core/verify-token';
import { readCallerState } from '../store/caller-state';
import type { Deps } from './deps';

export function revocationCheck(deps: Pick<Deps, 'doc' | 'env' | 'clock'>): (caller: AuthenticatedEntity) => Promise<void> {
  return async (caller) => {
    const now = Math.floor(deps.clock() / 1000);
    const state = await readCallerState(deps.doc, deps.env.TABLE_NAME, caller.clientName, caller.jti, now);
    assertNotRevoked(state, caller.issuedAt);
  };
}

/**
 * The same strongly consistent read for a request made with a client's API key: refused at once
 * when the client was deleted or disabled, whatever the authorizer's key lookup still remembers.
 * (A token cut-off does not apply: an API key carries no issue time.)
 */
export function apiKeyClientCheck(deps: Pick<Deps, 'doc' | 'env' | 'clock'>): (clientName: string) => Promise<void> {
  return async (clientName) => {
    const state = await readCallerState(deps.doc, deps.env.TABLE_NAME, clientName, undefined, Math.floor(deps.clock() / 1000));
    assertClientActive(state);
  };
}
