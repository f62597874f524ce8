import { AuthorizerCache, type AuthorizerOutcome } from '../../local/authorizer-cache';

const outcome = (principalId: string): AuthorizerOutcome => ({ principalId, policyDocument: {}, context: {} });

describe('AuthorizerCache', () => {
  it('serves an entry until its TTL ends', () => {
    let now = 1_000_000;
    const cache = new AuthorizerCache(60, () => now);
    cache.set('Bearer a', outcome('a'));
    now += 59_999;
    expect(cache.get('Bearer a')?.principalId).toBe('a');
    now += 1;
    expect(cache.get('Bearer a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keys on the exact identity source value', () => {
    const cache = new AuthorizerCache(60);
    cache.set('Bearer a', outcome('a'));
    expect(cache.get('Bearer A')).toBeUndefined();
    expect(cache.get('Bearer a ')).toBeUndefined();
  });

  it('caches nothing when the TTL is 0', () => {
    const cache = new AuthorizerCache(0);
    cache.set('Bearer a', outcome('a'));
    expect(cache.enabled).toBe(false);
    expect(cache.get('Bearer a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the oldest entry when full', () => {
    const cache = new AuthorizerCache(60, Date.now, 2);
    cache.set('1', outcome('1'));
    cache.set('2', outcome('2'));
    cache.set('3', outcome('3'));
    expect(cache.get('1')).toBeUndefined();
    expect(cache.get('2')?.principalId).toBe('2');
    expect(cache.get('3')?.principalId).toBe('3');
  });
});
