/**
 * The revocation check handlers run on every authenticated request (httpHandler's
 * `checkCaller`). The authorizer checks revocation too, but its cached Allow outlives a
 * revocation by up to the cache TTL (https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html); this check reads the table with strong
 * consistency and no cache (one BatchGetItem, store/caller-state.ts), so on handler routes a
 * revocation bites at once. The rule itself is core/revocation.ts, shared with the authorizer and
 * the launch check.
 */
import { assertNotRevoked } from '../core/revocation';
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
