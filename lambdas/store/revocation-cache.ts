/**
 * The authorizer's view of revocations: a "not revoked" answer is trusted for a few seconds
 * per warm container, so a burst of one token's requests (authorizer cache off, or one token
 * over many identity sources) costs one read. It changes no observable bound: every handler
 * re-reads revocations without any cache (runtime/caller-check.ts), and the authorizer result
 * cache (60 s by default) already outlives this one.
 */
import type { RevocationList } from '../core/verify-token';

export const REVOCATION_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

export function cachedRevocationList(source: RevocationList, clock: () => number = Date.now, ttlMs = REVOCATION_CACHE_MS): RevocationList {
  const notRevokedAt = new Map<string, number>();
  return {
    async isRevoked(jti, clientName) {
      const key = `${clientName}\n${jti}`;
      const at = notRevokedAt.get(key);
      if (at !== undefined && clock() - at < ttlMs) return false;
      const revoked = await source.isRevoked(jti, clientName);
      if (revoked) notRevokedAt.delete(key);
      else {
        if (notRevokedAt.size >= MAX_ENTRIES) notRevokedAt.clear();
        notRevokedAt.set(key, clock());
      }
      return revoked;
    },
  };
}
