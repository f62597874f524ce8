/**
 * The revocation check handlers run on every authenticated request (httpHandler's
 * `checkCaller`). The authorizer checks revocation too, but its cached Allow outlives a
 * revocation by up to the cache TTL (AWS-NOTES #3); this check reads the table with strong
 * consistency and no cache (one BatchGetItem, store/caller-state.ts), so on handler routes a
 * revocation bites at once.
 */
import { InvalidTokenError, TokenRevokedError } from '../core/errors';
import type { AuthenticatedEntity } from '../core/verify-token';
import { readCallerState } from '../store/caller-state';
import type { Deps } from './deps';

export function revocationCheck(deps: Pick<Deps, 'doc' | 'env' | 'clock'>): (caller: AuthenticatedEntity) => Promise<void> {
  return async (caller) => {
    const now = Math.floor(deps.clock() / 1000);
    const state = await readCallerState(deps.doc, deps.env.TABLE_NAME, caller.clientName, caller.jti, now);
    if (state.jtiRevoked) throw new TokenRevokedError('Token revoked');
    if (!state.clientExists) throw new InvalidTokenError('The client no longer exists');
    // Contract: a token without iat counts as issued before any cut-off.
    if (state.revokedBefore !== undefined && (caller.issuedAt === undefined || caller.issuedAt < state.revokedBefore)) {
      throw new TokenRevokedError('Token revoked (client cut-off)');
    }
  };
}
