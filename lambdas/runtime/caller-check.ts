/**
 * The revocation check handlers run on every authenticated request (httpHandler's
 * `checkCaller`). The authorizer checks revocation too, but its cached Allow outlives a
 * revocation by up to the cache TTL (AWS-NOTES #3); this check reads the table with strong
 * consistency and no cache, so on handler routes a revocation bites at once.
 */
import { InvalidTokenError, TokenRevokedError } from '../core/errors';
import type { AuthenticatedEntity } from '../core/verify-token';
import type { Deps } from './deps';

export function revocationCheck(deps: Pick<Deps, 'clients' | 'revocations'>): (caller: AuthenticatedEntity) => Promise<void> {
  const fresh = deps.revocations.consistentReads();
  return async (caller) => {
    const [revoked, record] = await Promise.all([
      caller.jti === undefined ? Promise.resolve(false) : fresh.isRevoked(caller.jti, caller.clientName),
      deps.clients.get(caller.clientName, true),
    ]);
    if (revoked) throw new TokenRevokedError('Token revoked');
    if (!record) throw new InvalidTokenError('The client no longer exists');
    // Contract: a token without iat counts as issued before any cut-off.
    if (record.revokedBefore !== undefined && (caller.issuedAt === undefined || caller.issuedAt < record.revokedBefore)) {
      throw new TokenRevokedError('Token revoked (client cut-off)');
    }
  };
}
