/**
 * The operator credential routes over HTTP against the local gateway (DynamoDB Local):
 * key registration, secret rotation with grace, revocation by jti and by cut-off,
 * deployment signing-key rotation.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterClientCaches } from '../support/caches';
import { startJwksServer, type JwksServer } from '../support/jwks-server';
import { claimsOf, createClient, putKeys } from '../support/clients';
import { keyPair, nowSeconds, signHs256, signWith } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
let jwksServer: JwksServer;
const es256 = keyPair('ES256', 'tenant-es256');
const rs256 = keyPair('RS256', 'tenant-rs256');

beforeAll(async () => {
  [gw, jwksServer] = await Promise.all([startTestGateway(), startJwksServer([es256.publicJwk])]);
});
afterAll(async () => {
  await Promise.all([gw.close(), jwksServer.close()]);
});

const verify = (token: string, stage: 'sandbox' | 'prod' = 'sandbox') => gw.call(stage, 'GET', '/v1/auth/verify', { token });
const expectError = (res: { status: number; body: Record<string, unknown> }, status: number, code: string) => {
  expect({ status: res.status, error: res.body.error }).toEqual({ status, error: code });
};

describe('PUT /admin/clients/{clientName}/keys', () => {
  beforeAll(() => createClient(gw, 'sandbox', 'keys-app'));

  it('registers an inline JWKS and accepts ES256 and RS256 tokens signed with those keys', async () => {
    const res = await gw.admin('sandbox', 'PUT', '/admin/clients/keys-app/keys', { jwks: { keys: [es256.publicJwk, rs256.publicJwk] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      clientName: 'keys-app',
      keys: {
        kind: 'jwks',
        keys: [
          { kid: 'tenant-es256', algs: ['ES256'] },
          { kid: 'tenant-rs256', algs: ['RS256'] },
        ],
      },
    });
    for (const pair of [es256, rs256]) {
      const ok = await verify(await signWith(pair, { iss: 'keys-app', sub: 'user-1', exp: nowSeconds() + 300 }));
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        clientName: 'keys-app',
        tokenKind: 'client-asymmetric',
        alg: pair.alg,
        kid: pair.kid,
        sub: 'user-1',
      });
    }
  });

  it('registers a PEM public key (replacing the JWKS; a warm authorizer sees it after its client cache)', async () => {
    const pem = es256.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    await putKeys(gw, 'sandbox', 'keys-app', { pem });
    await afterClientCaches();
    const ok = await verify(await signWith(es256, { clientName: 'keys-app', exp: nowSeconds() + 300 }, { kid: undefined }));
    expect(ok.status).toBe(200);
    // The replaced key's kid is no longer registered: no registered key verifies the token.
    const old = await verify(await signWith(rs256, { clientName: 'keys-app', exp: nowSeconds() + 301 }));
    expectError(old, 401, 'invalid_signature');
  });

  it('registers a JWKS URL after fetching it once, then verifies with the fetched keys', async () => {
    jwksServer.hits = 0;
    await putKeys(gw, 'sandbox', 'keys-app', { jwksUri: jwksServer.url });
    expect(jwksServer.hits).toBe(1);
    await afterClientCaches();
    const ok = await verify(await signWith(es256, { iss: 'keys-app', exp: nowSeconds() + 302 }));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ tokenKind: 'client-asymmetric', kid: 'tenant-es256' });
    // A second token with a known kid is served from the JWKS cache.
    expect((await verify(await signWith(es256, { iss: 'keys-app', exp: nowSeconds() + 303 }))).status).toBe(200);
    expect(jwksServer.hits).toBe(2);
  });

  const ed = generateKeyPairSync('ed25519');
  const rsaSmall = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const { kid: _k, alg: _a, use: _u, ...ecPublic } = es256.publicJwk;
  it.each([
    ['a private JWK', { jwks: { keys: [{ ...es256.privateKey.export({ format: 'jwk' }), kid: 'p' }] } }],
    ['a symmetric JWK', { jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0LXNlY3JldA', kid: 's' }] } }],
    ['an Ed25519 JWK (unsupported type)', { jwks: { keys: [{ ...ed.publicKey.export({ format: 'jwk' }), kid: 'e' }] } }],
    ['a 1024-bit RSA key', { jwks: { keys: [{ ...rsaSmall.publicKey.export({ format: 'jwk' }), kid: 'r' }] } }],
    ['an EC key declaring an RS alg', { jwks: { keys: [{ ...ecPublic, kid: 'x', alg: 'RS256' }] } }],
    ['an empty JWKS', { jwks: { keys: [] } }],
    ['a JWKS that is not an object', { jwks: 'keys' }],
    ['a JWK with a broken point', { jwks: { keys: [{ ...ecPublic, x: 'AAAA', kid: 'b' }] } }],
    ['two keys with one kid', { jwks: { keys: [es256.publicJwk, { ...es256.publicJwk }] } }],
    ['a private key PEM', { pem: es256.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() }],
    ['garbage PEM', { pem: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' }],
    ['both jwks and pem', { jwks: { keys: [es256.publicJwk] }, pem: 'x' }],
    ['no key at all', {}],
    ['an unknown field', { jwks: { keys: [es256.publicJwk] }, note: 1 }],
    ['an http JWKS URL off loopback', { jwksUri: 'http://example.com/jwks.json' }],
    ['a link-local JWKS URL', { jwksUri: 'https://169.254.169.254/latest/meta-data/' }],
    ['a private-address JWKS URL', { jwksUri: 'https://10.0.0.8/jwks.json' }],
    ['a JWKS URL that is not a URL', { jwksUri: 'not a url' }],
  ])('refuses %s with 400 invalid_request', async (_what, body) => {
    expectError(await gw.admin('sandbox', 'PUT', '/admin/clients/keys-app/keys', body), 400, 'invalid_request');
  });

  it('refuses a JWKS URL that is down or serves no usable key', async () => {
    jwksServer.mode = 'down';
    expectError(await gw.admin('sandbox', 'PUT', '/admin/clients/keys-app/keys', { jwksUri: jwksServer.url }), 400, 'invalid_request');
    jwksServer.mode = 'ok';
    jwksServer.keys = [{ kty: 'oct', k: 'c2VjcmV0', kid: 'sym' }];
    expectError(await gw.admin('sandbox', 'PUT', '/admin/clients/keys-app/keys', { jwksUri: jwksServer.url }), 400, 'invalid_request');
    jwksServer.keys = [es256.publicJwk];
  });

  it('answers 404 for an unknown client and 401 without the operator key', async () => {
    expectError(
      await gw.admin('sandbox', 'PUT', '/admin/clients/no-such-app/keys', { jwks: { keys: [es256.publicJwk] } }),
      404,
      'not_found',
    );
    expectError(
      await gw.call('sandbox', 'PUT', '/admin/clients/keys-app/keys', { body: { jwks: { keys: [es256.publicJwk] } } }),
      401,
      'unauthorized',
    );
  });
});

describe('POST /admin/clients/{clientName}/rotate-secret', () => {
  const authtoken = (clientName: string, clientSecret: string) =>
    gw.call('sandbox', 'POST', '/authtoken', { body: { clientName, clientSecret } });

  it('keeps the previous secret working for graceSeconds, for /authtoken and for HS256 tokens', async () => {
    const first = await createClient(gw, 'sandbox', 'rotate-app');
    const before = nowSeconds();
    const res = await gw.admin('sandbox', 'POST', '/admin/clients/rotate-app/rotate-secret', { graceSeconds: 3600 });
    expect(res.status).toBe(200);
    const second = res.body.clientSecret as string;
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const until = Date.parse(res.body.previousValidUntil as string) / 1000;
    expect(until).toBeGreaterThanOrEqual(before + 3600);
    // At least graceSeconds whole seconds: the end is rounded up to the next second.
    expect(until).toBeLessThanOrEqual(nowSeconds() + 3600 + 1);
    for (const secret of [first, second]) {
      expect((await authtoken('rotate-app', secret)).status).toBe(200);
      expect((await verify(signHs256(secret, { clientName: 'rotate-app', jti: secret.slice(0, 8) }))).status).toBe(200);
    }
  });

  it('with graceSeconds 0 ends every previous secret at once', async () => {
    const first = await createClient(gw, 'sandbox', 'leaked-app');
    const r1 = await gw.admin('sandbox', 'POST', '/admin/clients/leaked-app/rotate-secret', { graceSeconds: 600 });
    const second = r1.body.clientSecret as string;
    const r2 = await gw.admin('sandbox', 'POST', '/admin/clients/leaked-app/rotate-secret', { graceSeconds: 0 });
    const third = r2.body.clientSecret as string;
    for (const old of [first, second]) {
      expectError(await authtoken('leaked-app', old), 401, 'invalid_client');
      expectError(await verify(signHs256(old, { clientName: 'leaked-app', n: old.slice(0, 6) })), 401, 'invalid_signature');
    }
    expect((await authtoken('leaked-app', third)).status).toBe(200);
    const client = await gw.admin('sandbox', 'GET', '/admin/clients/leaked-app');
    expect(client.text).not.toContain(third);
    expect((client.body.secrets as unknown[]).length).toBe(1);
  });

  it('defaults to a 24-hour grace when the body is empty', async () => {
    await createClient(gw, 'sandbox', 'default-grace-app');
    const res = await gw.call('sandbox', 'POST', '/admin/clients/default-grace-app/rotate-secret', {
      headers: { 'x-workoutkit-admin-key': gw.gateway.stages.sandbox.adminKey },
    });
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.previousValidUntil as string) / 1000).toBeGreaterThanOrEqual(nowSeconds() + 86_400 - 5);
  });

  it.each([[-1], [604_801], ['60'], [1.5]])('refuses graceSeconds %p', async (graceSeconds) => {
    expectError(await gw.admin('sandbox', 'POST', '/admin/clients/rotate-app/rotate-secret', { graceSeconds }), 400, 'invalid_request');
  });

  it('answers 404 for an unknown client', async () => {
    expectError(await gw.admin('sandbox', 'POST', '/admin/clients/nobody-here/rotate-secret', {}), 404, 'not_found');
  });
});

describe('POST /admin/revocations', () => {
  let secret: string;
  beforeAll(async () => {
    secret = await createClient(gw, 'sandbox', 'revoke-app');
  });

  it('revokes an issued token by jti at once on handler routes, even while the authorizer caches its Allow', async () => {
    const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'revoke-app', clientSecret: secret } });
    const token = issued.body.token as string;
    expect((await verify(token)).status).toBe(200); // the Allow is now cached for 60 s
    const res = await gw.admin('sandbox', 'POST', '/admin/revocations', { jti: claimsOf(token).jti });
    expect(res.status).toBe(201);
    expectError(await verify(token), 401, 'token_revoked');
  });

  it('makes the authorizer refuse a revoked jti it has not seen before', async () => {
    const token = signHs256(secret, { clientName: 'revoke-app', jti: 'leaked-1' });
    expect((await gw.admin('sandbox', 'POST', '/admin/revocations', { jti: 'leaked-1' })).status).toBe(201);
    expectError(await verify(token), 401, 'token_revoked');
  });

  it('revokes every token of a client issued before a cut-off (and tokens without iat), not later ones', async () => {
    await createClient(gw, 'sandbox', 'cutoff-app');
    const now = nowSeconds();
    const s = (await gw.admin('sandbox', 'POST', '/admin/clients/cutoff-app/rotate-secret', { graceSeconds: 0 })).body
      .clientSecret as string;
    const older = signHs256(s, { clientName: 'cutoff-app', iat: now - 30 });
    const noIat = signHs256(s, { clientName: 'cutoff-app' });
    expect((await verify(older)).status).toBe(200);
    const res = await gw.admin('sandbox', 'POST', '/admin/revocations', {
      clientName: 'cutoff-app',
      issuedBefore: new Date((now - 10) * 1000).toISOString(),
    });
    expect(res.status).toBe(201);
    expectError(await verify(older), 401, 'token_revoked');
    expectError(await verify(noIat), 401, 'token_revoked');
    expect((await verify(signHs256(s, { clientName: 'cutoff-app', iat: now }))).status).toBe(200);
    // A cut-off only moves forward: an earlier one (NumericDate form) changes nothing.
    expect((await gw.admin('sandbox', 'POST', '/admin/revocations', { clientName: 'cutoff-app', issuedBefore: now - 1000 })).status).toBe(
      201,
    );
    expectError(await verify(signHs256(s, { clientName: 'cutoff-app', iat: now - 20 })), 401, 'token_revoked');
  });

  it.each([
    ['an empty object', {}],
    ['an empty jti', { jti: '' }],
    ['a numeric jti', { jti: 42 }],
    ['a jti over 1 KiB', { jti: 'x'.repeat(1025) }],
    ['jti and issuedBefore together', { jti: 'a', issuedBefore: 1 }],
    ['a clientName without issuedBefore', { clientName: 'revoke-app' }],
    ['issuedBefore in words', { clientName: 'revoke-app', issuedBefore: 'yesterday' }],
    ['issuedBefore as a date without time and zone', { clientName: 'revoke-app', issuedBefore: '2026-01-01' }],
    ['issuedBefore an hour in the future', { clientName: 'revoke-app', issuedBefore: nowSeconds() + 3600 }],
    ['a malformed clientName', { clientName: 'Bad Name', issuedBefore: 1 }],
  ])('refuses %s with 400 invalid_request', async (_what, body) => {
    expectError(await gw.admin('sandbox', 'POST', '/admin/revocations', body), 400, 'invalid_request');
  });

  it('answers 404 for a cut-off on an unknown client', async () => {
    expectError(await gw.admin('sandbox', 'POST', '/admin/revocations', { clientName: 'nobody-here', issuedBefore: 1 }), 404, 'not_found');
  });
});

describe('POST /admin/signing-keys/rotate', () => {
  it('publishes the new key, keeps signing with the current one, and refuses a second pending rotation', async () => {
    const jwks = async () => ((await gw.call('prod', 'GET', '/.well-known/jwks.json')).body.keys as { kid: string }[]).map((k) => k.kid);
    // The current key from an issued token, not from the JWKS route: that read would warm the public
    // function's key cache (5 minutes, outlasted by the lead time), and the JWKS read below
    // stands for a container that starts after the rotation.
    const secretFirst = await createClient(gw, 'prod', 'prod-first');
    const first = await gw.call('prod', 'POST', '/authtoken', { body: { clientName: 'prod-first', clientSecret: secretFirst } });
    const current = (
      JSON.parse(Buffer.from((first.body.token as string).split('.')[0] as string, 'base64url').toString()) as { kid: string }
    ).kid;
    const res = await gw.admin('prod', 'POST', '/admin/signing-keys/rotate', {});
    expect(res.status).toBe(201);
    const activatesAt = Date.parse(res.body.activatesAt as string) / 1000;
    expect(activatesAt).toBeGreaterThanOrEqual(nowSeconds() + 3600 - 5);
    expect(res.body.retiring).toEqual([{ kid: current, retiresAt: new Date((activatesAt + 86_400 + 300 + 60) * 1000).toISOString() }]);
    expect(await jwks()).toEqual(expect.arrayContaining([current, res.body.kid]));

    const secret = await createClient(gw, 'prod', 'prod-app');
    const issued = await gw.call('prod', 'POST', '/authtoken', { body: { clientName: 'prod-app', clientSecret: secret } });
    const header = JSON.parse(Buffer.from((issued.body.token as string).split('.')[0] as string, 'base64url').toString()) as {
      kid: string;
    };
    expect(header.kid).toBe(current);

    expectError(await gw.admin('prod', 'POST', '/admin/signing-keys/rotate', {}), 409, 'conflict');
  });

  it('refuses a lead time shorter than the caches it must outlast', async () => {
    expectError(await gw.admin('sandbox', 'POST', '/admin/signing-keys/rotate', { leadSeconds: 10 }), 400, 'invalid_request');
  });
});
