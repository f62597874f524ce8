/**
 * JWKS URL keys end to end below the gateway: the real fetcher against a real loopback
 * server that counts hits, under the cache with an injected clock.
 */
import { JwksCache, JWKS_MAX_TTL_SECONDS } from '../../lambdas/core/jwks-cache';
import { classifyAddress } from '../../lambdas/core/address-policy';
import { createJwksFetcher, JWKS_FETCH_TIMEOUT_MS, JWKS_MAX_BYTES, maxAgeOf } from '../../lambdas/store/jwks-fetcher';
import { startJwksServer, type JwksServer } from '../support/jwks-server';
import { keyPair } from '../support/keys';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const k1 = keyPair('ES256', 'k1');
const k2 = keyPair('RS256', 'k2');

let server: JwksServer;
beforeAll(async () => {
  server = await startJwksServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.hits = 0;
  server.mode = 'ok';
  server.keys = [k1.publicJwk];
  server.cacheControl = 'max-age=600';
});

function setup() {
  let now = T0;
  const cache = new JwksCache(createJwksFetcher({ allowLoopback: true }), () => now);
  const at = (seconds: number) => {
    now = T0 + seconds * 1000;
  };
  const kids = async (kid?: string) => (await cache.keysFor('acme-app', server.url, kid)).map((k) => k.kid);
  return { cache, at, kids };
}

describe('JWKS cache over a real server', () => {
  it('serves from cache for the response max-age and refetches after it', async () => {
    const { at, kids } = setup();
    expect(await kids('k1')).toEqual(['k1']);
    at(599);
    expect(await kids('k1')).toEqual(['k1']);
    expect(server.hits).toBe(1);
    at(601);
    expect(await kids('k1')).toEqual(['k1']);
    expect(server.hits).toBe(2);
  });

  it('clamps max-age to at least 5 minutes and at most 24 hours', async () => {
    server.cacheControl = 'public, max-age=5';
    let s = setup();
    await s.kids('k1');
    s.at(299);
    await s.kids('k1');
    expect(server.hits).toBe(1);
    s.at(301);
    await s.kids('k1');
    expect(server.hits).toBe(2);

    server.hits = 0;
    server.cacheControl = 'max-age=31536000';
    s = setup();
    await s.kids('k1');
    s.at(JWKS_MAX_TTL_SECONDS - 1);
    await s.kids('k1');
    expect(server.hits).toBe(1);
    s.at(JWKS_MAX_TTL_SECONDS + 1);
    await s.kids('k1');
    expect(server.hits).toBe(2);
  });

  it('refetches on an unknown kid at most once per 30 s, whatever the flood', async () => {
    const { at, kids } = setup();
    await kids('k1');
    expect(await kids('random-early')).toEqual([]); // within 30 s of the first fetch
    expect(server.hits).toBe(1);
    at(30);
    for (let i = 0; i < 50; i++) expect(await kids(`random-${i}`)).toEqual([]);
    expect(server.hits).toBe(2);
    at(59);
    expect(await kids('another')).toEqual([]);
    expect(server.hits).toBe(2);
    // The tenant rotates in k2; after the cool-down a token naming it finds it.
    server.keys = [k1.publicJwk, k2.publicJwk];
    at(61);
    expect(await kids('k2')).toEqual(['k2']);
    expect(server.hits).toBe(3);
  });

  it('shares one fetch among concurrent callers', async () => {
    const { kids } = setup();
    const all = await Promise.all(Array.from({ length: 20 }, () => kids('k1')));
    expect(all.every((k) => k[0] === 'k1')).toBe(true);
    expect(server.hits).toBe(1);
  });

  it('keeps serving the last good keys for 24 h while the URL fails, then fails closed with 503', async () => {
    const { at, kids } = setup();
    await kids('k1');
    server.mode = 'down';
    at(601); // stale: one refetch attempt fails, the old keys still verify
    expect(await kids('k1')).toEqual(['k1']);
    expect(server.hits).toBe(2);
    at(610); // within the cool-down: no new attempt
    expect(await kids('k1')).toEqual(['k1']);
    expect(server.hits).toBe(2);
    at(600 + 24 * 3600 - 1);
    expect(await kids('k1')).toEqual(['k1']);
    at(600 + 24 * 3600 + 60);
    await expect(kids('k1')).rejects.toMatchObject({ code: 'service_unavailable', status: 503 });
    server.mode = 'ok';
    at(600 + 24 * 3600 + 200);
    expect(await kids('k1')).toEqual(['k1']);
  });

  it('fails closed (503) when the URL never answered and does not retry within the cool-down', async () => {
    server.mode = 'down';
    const { at, kids } = setup();
    await expect(kids('k1')).rejects.toMatchObject({ code: 'service_unavailable' });
    await expect(kids('k1')).rejects.toMatchObject({ code: 'service_unavailable' });
    expect(server.hits).toBe(1);
    at(31);
    await expect(kids('k1')).rejects.toMatchObject({ code: 'service_unavailable' });
    expect(server.hits).toBe(2);
  });

  it('skips unusable keys in a remote JWKS (private members, symmetric, unknown kty) and keeps the good one', async () => {
    server.keys = [{ kty: 'oct', k: 'c2VjcmV0', kid: 'sym' }, { kty: 'OKP', crv: 'Ed25519', x: 'AAAA', kid: 'ed' }, k1.publicJwk];
    const { kids } = setup();
    expect(await kids()).toEqual(['k1']);
  });
});

describe('JWKS fetcher limits', () => {
  const fetchLocal = createJwksFetcher({ allowLoopback: true });

  it('uses the contract limits by default', () => {
    expect(JWKS_FETCH_TIMEOUT_MS).toBe(5000);
    expect(JWKS_MAX_BYTES).toBe(512 * 1024);
  });

  it('stops reading a streamed response over 512 KiB', async () => {
    server.mode = 'huge';
    await expect(fetchLocal(server.url)).rejects.toThrow('response over the size cap');
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    server.mode = 'hang';
    const started = Date.now();
    await expect(createJwksFetcher({ allowLoopback: true, timeoutMs: 300 })(server.url)).rejects.toThrow('timed out');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses to follow a redirect (it could point inward)', async () => {
    server.mode = 'redirect';
    await expect(fetchLocal(server.url)).rejects.toThrow('redirects are not followed');
  });

  it('reads max-age from Cache-Control and treats no-store as the minimum', async () => {
    expect(maxAgeOf('public, max-age=900')).toBe(900);
    expect(maxAgeOf('no-store')).toBe(0);
    expect(maxAgeOf('s-maxage=10')).toBeUndefined();
    await expect(fetchLocal(server.url)).resolves.toMatchObject({ maxAgeSeconds: 600 });
  });
});

describe('JWKS fetcher address policy', () => {
  const prod = createJwksFetcher();

  it('refuses loopback and plain http outside the local gateway', async () => {
    await expect(prod(server.url)).rejects.toThrow('URL must be https');
    await expect(prod('https://127.0.0.1/jwks')).rejects.toThrow('private, loopback or link-local');
    await expect(prod('https://[::1]/jwks')).rejects.toThrow('private, loopback or link-local');
    expect(server.hits).toBe(0);
  });

  it.each([
    'https://10.0.0.1/jwks',
    'https://172.16.5.4/jwks',
    'https://192.168.1.1/jwks',
    'https://169.254.169.254/latest/meta-data/',
    'https://100.64.0.1/jwks',
    'https://0.0.0.0/jwks',
    'https://[fd00::1]/jwks',
    'https://[fe80::1]/jwks',
    'https://[::ffff:10.0.0.1]/jwks',
    'https://[::ffff:169.254.169.254]/jwks',
    'https://[64:ff9b::a9fe:a9fe]/jwks',
    'https://[2002:a00:1::]/jwks',
  ])('refuses the private or link-local address in %s', async (url) => {
    await expect(prod(url)).rejects.toThrow('private, loopback or link-local');
  });

  it('refuses a host name whose DNS answer is private, checked at connect time', async () => {
    const fetcher = createJwksFetcher({
      resolve: async (host) =>
        host === 'jwks.tenant.example'
          ? [
              { address: '203.0.113.10', family: 4 },
              { address: '10.1.2.3', family: 4 },
            ]
          : [],
    });
    await expect(fetcher('https://jwks.tenant.example/keys')).rejects.toThrow('resolves to a private');
  });

  it('allows plain http in local mode only to loopback, never to other hosts', async () => {
    const local = createJwksFetcher({ allowLoopback: true, resolve: async () => [{ address: '93.184.216.34', family: 4 }] });
    await expect(local('http://93.184.216.34/jwks')).rejects.toThrow('loopback only');
    await expect(local('http://jwks.tenant.example/jwks')).rejects.toThrow('resolves to a private');
    await expect(local('ftp://127.0.0.1/jwks')).rejects.toThrow('URL must be https');
    await expect(local('https://user:pw@example.com/jwks')).rejects.toThrow('credentials');
  });

  it('classifies public addresses as public', () => {
    expect(classifyAddress('8.8.8.8')).toBe('public');
    expect(classifyAddress('2606:4700:4700::1111')).toBe('public');
    expect(classifyAddress('127.0.0.53')).toBe('loopback');
    expect(classifyAddress('::ffff:127.0.0.1')).toBe('loopback');
    expect(classifyAddress('not-an-ip')).toBe('blocked');
  });
});
