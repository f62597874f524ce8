import { cachedRevocationList, REVOCATION_CACHE_MS } from '../../lambdas/store/revocation-cache';

describe('cachedRevocationList', () => {
  function source() {
    const revoked = new Set<string>();
    let reads = 0;
    return {
      revoked,
      reads: () => reads,
      list: {
        async isRevoked(jti: string, clientName: string) {
          reads++;
          return revoked.has(`${clientName}/${jti}`);
        },
      },
    };
  }

  it('trusts a "not revoked" answer for a few seconds, then reads again', async () => {
    let now = 0;
    const s = source();
    const cached = cachedRevocationList(s.list, () => now);
    expect(await cached.isRevoked('j1', 'acme')).toBe(false);
    expect(await cached.isRevoked('j1', 'acme')).toBe(false);
    expect(s.reads()).toBe(1);
    s.revoked.add('acme/j1');
    now += REVOCATION_CACHE_MS;
    expect(await cached.isRevoked('j1', 'acme')).toBe(true);
    expect(s.reads()).toBe(2);
  });

  it('never caches a revoked answer, and keeps clients apart', async () => {
    const s = source();
    s.revoked.add('acme/j2');
    const cached = cachedRevocationList(s.list, () => 0);
    expect(await cached.isRevoked('j2', 'acme')).toBe(true);
    expect(await cached.isRevoked('j2', 'acme')).toBe(true);
    expect(await cached.isRevoked('j2', 'globex')).toBe(false);
    expect(s.reads()).toBe(3);
  });
});
