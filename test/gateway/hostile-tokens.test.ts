/**
 * Hostile bearer tokens over HTTP against the local gateway (both stages, DynamoDB Local).
 * Each case asserts the exact contract answer: status and `error` code, and for 401 an
 * RFC 6750 WWW-Authenticate challenge.
 */
import { createSign, createPublicKey } from 'node:crypto';
import http from 'node:http';
import { nowSeconds, keyPair, rawToken, signHs256, signRaw, signWith, b64url, type TestKeyPair } from '../support/keys';
import { createClient, putKeys } from '../support/clients';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
let acmeSecret: string;
let deploymentKid: string;
/** Each stage's issuer identifier: its base URL. */
let ISSUER: { sandbox: string; prod: string };
const acmeEs = keyPair('ES256', 'acme-es');
const acmeRs = keyPair('RS256', 'acme-rs');
const otherEs = keyPair('ES256', 'acme-es'); // another client's key under the same kid
const twinEs = keyPair('ES256', 'placeholder');

beforeAll(async () => {
  gw = await startTestGateway();
  ISSUER = { sandbox: gw.url('sandbox'), prod: gw.url('prod') };
  acmeSecret = await createClient(gw, 'sandbox', 'acme-app');
  await putKeys(gw, 'sandbox', 'acme-app', { jwks: { keys: [acmeEs.publicJwk, acmeRs.publicJwk] } });
  await createClient(gw, 'sandbox', 'other-app');
  await putKeys(gw, 'sandbox', 'other-app', { jwks: { keys: [otherEs.publicJwk] } });
  await createClient(gw, 'sandbox', 'policy-app', { requiredClaims: ['exp', 'aud'], audience: 'workoutkit', maxTokenLifetimeSeconds: 600 });
  await putKeys(gw, 'sandbox', 'policy-app', { jwks: { keys: [acmeEs.publicJwk] } });
  // A client whose key carries the deployment's own kid.
  const jwks = await gw.call('sandbox', 'GET', '/.well-known/jwks.json');
  deploymentKid = (jwks.body.keys as { kid: string }[])[0]?.kid as string;
  twinEs.kid = deploymentKid;
  twinEs.publicJwk = { ...twinEs.publicJwk, kid: deploymentKid };
  await createClient(gw, 'sandbox', 'twin-app');
  await putKeys(gw, 'sandbox', 'twin-app', { jwks: { keys: [twinEs.publicJwk] } });
  // prod: the same clientName, its own secret, no keys.
  await createClient(gw, 'prod', 'acme-app');
}, 90_000); // thirteen set-up calls and RSA key generation; slow on a loaded machine
afterAll(() => gw.close());

const exp = () => nowSeconds() + 300;

/** node:http instead of fetch: the server answers 431 and closes before undici finishes sending. */
function rawStatus(url: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers: { authorization }, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
const acme = (extra: Record<string, unknown> = {}) => ({ clientName: 'acme-app', exp: exp(), ...extra });

async function expectRefused(token: string, status: number, code: string, stage: 'sandbox' | 'prod' = 'sandbox'): Promise<void> {
  const res = await gw.call(stage, 'GET', '/v1/auth/verify', { headers: { authorization: `Bearer ${token}` } });
  expect({ status: res.status, error: res.body.error }).toEqual({ status, error: code });
  // The authorizer's Deny carries a static RFC 6750 challenge (a Gateway Response header cannot
  // be templated); the precise code is in the body.
  if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="/);
}

async function expectAccepted(token: string, stage: 'sandbox' | 'prod' = 'sandbox'): Promise<Record<string, unknown>> {
  const res = await gw.call(stage, 'GET', '/v1/auth/verify', { token });
  expect(res.status).toBe(200);
  return res.body;
}

describe('alg none and unsupported algorithms', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg %s with and without a signature (invalid_token)', async (alg) => {
    await expectRefused(`${b64url({ alg, typ: 'JWT' })}.${b64url(acme())}.`, 401, 'invalid_token');
    await expectRefused(
      rawToken({ alg }, acme(), () => Buffer.from('sig')),
      401,
      'invalid_token',
    );
  });

  it.each(['HS384', 'HS512', 'PS256', 'EdDSA', 'ES256K', ''])('refuses alg %p (invalid_token)', async (alg) => {
    await expectRefused(
      rawToken({ alg, kid: 'acme-es' }, acme(), () => Buffer.from('sig')),
      401,
      'invalid_token',
    );
  });
});

describe('algorithm confusion', () => {
  it("refuses HS256 tokens whose HMAC key is the client's RSA or EC public key (invalid_signature)", async () => {
    for (const pair of [acmeRs, acmeEs]) {
      const pem = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();
      await expectRefused(signHs256(pem, acme(), { kid: pair.kid }), 401, 'invalid_signature');
      await expectRefused(signHs256(JSON.stringify(pair.publicJwk), acme()), 401, 'invalid_signature');
    }
  });

  it("refuses an HS256 token keyed with the deployment's public key claiming to be issued (invalid_token)", async () => {
    const jwks = await gw.call('sandbox', 'GET', '/.well-known/jwks.json');
    const jwk = (jwks.body.keys as Record<string, unknown>[])[0] as Record<string, unknown>;
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' })
      .export({ format: 'pem', type: 'spki' })
      .toString();
    const claims = { iss: ISSUER.sandbox, clientName: 'acme-app', token_use: 'access', exp: exp() };
    await expectRefused(signHs256(pem, claims, { kid: deploymentKid }), 401, 'invalid_token');
  });

  it('refuses an RS256 token signed by the RSA key but labelled ES256 with its kid (invalid_signature: no registered key verifies it)', async () => {
    await expectRefused(signRaw(acmeRs, { alg: 'ES256', kid: 'acme-rs' }, acme()), 401, 'invalid_signature');
  });
});

describe('header-supplied keys', () => {
  const header = { alg: 'ES256', kid: 'acme-es' };
  it.each([
    ['jwk (the registered key itself)', { jwk: acmeEs.publicJwk }],
    ['jwk (an attacker key)', { jwk: otherEs.publicJwk }],
    ['jku', { jku: 'https://attacker.example/jwks.json' }],
    ['x5u', { x5u: 'https://attacker.example/cert.pem' }],
    ['x5c', { x5c: ['MIIBkTCB+wIJAL...'] }],
  ])('refuses a validly signed token with a %s header (invalid_token)', async (_what, extra) => {
    await expectRefused(signRaw(acmeEs, { ...header, ...extra }, acme()), 401, 'invalid_token');
  });

  it('refuses unknown crit headers and b64:false (invalid_token)', async () => {
    await expectRefused(signRaw(acmeEs, { ...header, crit: ['exp'], exp: 1 }, acme()), 401, 'invalid_token');
    await expectRefused(signRaw(acmeEs, { ...header, crit: ['b64'], b64: false }, acme()), 401, 'invalid_token');
    await expectRefused(signRaw(acmeEs, { ...header, b64: false }, acme()), 401, 'invalid_token');
  });
});

describe('kid values', () => {
  it.each([
    '../../../../etc/passwd',
    '..%2f..%2fetc%2fpasswd',
    "' OR '1'='1",
    'acme-es; DROP TABLE clients; --',
    'acme-es\u0000',
    '{"$ne":null}',
    'CLIENT#acme-app',
    'x'.repeat(256),
  ])('refuses kid %j as naming no key that verifies (invalid_signature, as for a client that does not exist)', async (kid) => {
    await expectRefused(signRaw(acmeEs, { alg: 'ES256', kid }, acme()), 401, 'invalid_signature');
  });

  it('refuses a kid over 256 characters or of the wrong type (invalid_token)', async () => {
    await expectRefused(signRaw(acmeEs, { alg: 'ES256', kid: 'k'.repeat(257) }, acme()), 401, 'invalid_token');
    await expectRefused(signRaw(acmeEs, { alg: 'ES256', kid: 7 }, acme()), 401, 'invalid_token');
    await expectRefused(signRaw(acmeEs, { alg: 'ES256', kid: ['acme-es'] }, acme()), 401, 'invalid_token');
  });

  it('refuses a token without kid when the client has several keys (invalid_signature)', async () => {
    await expectRefused(signRaw(acmeEs, { alg: 'ES256' }, acme()), 401, 'invalid_signature');
  });
});

describe('one client posing as another', () => {
  it("refuses a token signed with one client's key naming another client that has a key under the same kid (invalid_signature)", async () => {
    await expectRefused(await signWith(acmeEs, { clientName: 'other-app', exp: exp() }), 401, 'invalid_signature');
    await expectRefused(await signWith(otherEs, acme()), 401, 'invalid_signature');
  });

  it("refuses an HS256 token signed with one client's secret naming another client (invalid_signature)", async () => {
    await expectRefused(signHs256(acmeSecret, { clientName: 'other-app' }), 401, 'invalid_signature');
  });

  it('refuses clientName and iss that disagree (invalid_token)', async () => {
    await expectRefused(await signWith(acmeEs, { clientName: 'acme-app', iss: 'other-app', exp: exp() }), 401, 'invalid_token');
  });

  it("refuses a client's key whose kid equals the deployment's when it claims to be an issued token (invalid_signature), and verifies its own tokens as client tokens", async () => {
    const own = await expectAccepted(await signWith(twinEs, { iss: 'twin-app', exp: exp() }));
    expect(own).toMatchObject({ clientName: 'twin-app', tokenKind: 'client-asymmetric', kid: deploymentKid });
    const forged = await signWith(twinEs, {
      iss: ISSUER.sandbox,
      clientName: 'acme-app',
      token_use: 'access',
      scope: ['admin'],
      exp: exp(),
    });
    await expectRefused(forged, 401, 'invalid_signature');
  });
});

describe('sandbox tokens sent to prod', () => {
  it('refuses an issued sandbox token at prod (invalid_token)', async () => {
    const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'acme-app', clientSecret: acmeSecret } });
    expect(issued.status).toBe(200);
    await expectAccepted(issued.body.token as string, 'sandbox');
    await expectRefused(issued.body.token as string, 401, 'invalid_token', 'prod');
  });

  it("refuses the sandbox secret's HS256 token and the sandbox key's token at prod", async () => {
    await expectRefused(signHs256(acmeSecret, { clientName: 'acme-app' }), 401, 'invalid_signature', 'prod');
    await expectRefused(await signWith(acmeEs, acme({ jti: 'to-prod' })), 401, 'invalid_signature', 'prod');
  });
});

describe('ECDSA signature values (CVE-2022-21449)', () => {
  // P-256 group order n.
  const N = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');
  const withSig = (sig: Buffer) => rawToken({ alg: 'ES256', kid: 'acme-es' }, acme(), () => sig);
  it.each([
    ['r = s = 0', Buffer.alloc(64)],
    ['r = s = n', Buffer.concat([N, N])],
    ['r = 0, s = 1', Buffer.concat([Buffer.alloc(32), Buffer.alloc(31), Buffer.from([1])])],
    ['r = s = 2^256 - 1', Buffer.alloc(64, 0xff)],
  ])('refuses a signature with %s (invalid_signature)', async (_what, sig) => {
    await expectRefused(withSig(sig), 401, 'invalid_signature');
  });

  it('refuses a DER-encoded ECDSA signature (JWS uses raw r||s) (invalid_signature)', async () => {
    const token = rawToken({ alg: 'ES256', kid: 'acme-es' }, acme(), (input) => createSign('sha256').update(input).sign(acmeEs.privateKey));
    await expectRefused(token, 401, 'invalid_signature');
  });

  it('refuses a signature one byte short (invalid_signature)', async () => {
    const good = await signWith(acmeEs, acme());
    const [h, p, s] = good.split('.') as [string, string, string];
    const shorter = Buffer.from(s, 'base64url').subarray(0, 63).toString('base64url');
    await expectRefused(`${h}.${p}.${shorter}`, 401, 'invalid_signature');
  });
});

describe('malformed and oversized tokens', () => {
  let good: string;
  beforeAll(async () => {
    good = await signWith(acmeEs, acme({ n: 'malformed' }));
  });
  const parts = () => good.split('.') as [string, string, string];

  it('refuses truncated tokens (invalid_token)', async () => {
    const [h, p, s] = parts();
    await expectRefused(`${h}.${p}`, 401, 'invalid_token');
    await expectRefused(`${h}.${p}.`, 401, 'invalid_token');
    await expectRefused(h, 401, 'invalid_token');
    await expectRefused(`${h}.${p}.${s.slice(0, -1)}`, 401, 'invalid_token'); // not a whole base64url length
  });

  it('refuses padded, standard-base64 and extra-segment tokens (invalid_token)', async () => {
    const [h, p, s] = parts();
    await expectRefused(`${h}.${p}.${s}==`, 401, 'invalid_token');
    await expectRefused(`${h}=.${p}.${s}`, 401, 'invalid_token');
    await expectRefused(`${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}+/`, 401, 'invalid_token');
    await expectRefused(`${h}.${p}.${s}.`, 401, 'invalid_token');
    await expectRefused(`${h}.${p}.${s}.${s}`, 401, 'invalid_token');
    await expectRefused(`${h}.${p}.${s}%`, 401, 'invalid_token');
  });

  it('refuses a header or payload that is not a JSON object (invalid_token)', async () => {
    await expectRefused(
      rawToken({ alg: 'ES256' }, 'not json', () => Buffer.from('s')),
      401,
      'invalid_token',
    );
    await expectRefused(`${b64url('[1,2]')}.${b64url(acme())}.c2ln`, 401, 'invalid_token');
    await expectRefused(`${Buffer.from([0xff, 0xfe]).toString('base64url')}.${b64url(acme())}.c2ln`, 401, 'invalid_token');
  });

  it('refuses a token over 8 KiB (invalid_token), and headers over 16 KiB before any code runs (431 locally)', async () => {
    const big = signRaw(acmeEs, { alg: 'ES256', kid: 'acme-es' }, acme({ pad: 'x'.repeat(8 * 1024) }));
    await expectRefused(big, 401, 'invalid_token');
    expect(await rawStatus(gw.url('sandbox', '/v1/auth/verify'), `Bearer ${'a'.repeat(17 * 1024)}`)).toBe(431);
  });

  it('refuses a missing header, another scheme, and an empty bearer (invalid_token)', async () => {
    const missing = await gw.call('sandbox', 'GET', '/v1/auth/verify');
    expect({ status: missing.status, error: missing.body.error }).toEqual({ status: 401, error: 'invalid_token' });
    for (const authorization of [
      `Basic ${Buffer.from('acme-app:x').toString('base64')}`,
      'Bearer',
      'Bearer  ',
      `Token ${good}`,
      `Bearer ${good} extra`,
    ]) {
      const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', { headers: { authorization } });
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 401, error: 'invalid_token' });
    }
  });
});

describe('claim types and duplicate keys', () => {
  it.each([
    ['exp as a string', { exp: String(nowSeconds() + 300) }],
    ['nbf as a string', { nbf: '0' }],
    ['iat as a string', { iat: String(nowSeconds()) }],
    ['exp as an object', { exp: { $gt: 0 } }],
    ['sub as a number', { sub: 12 }],
    ['scope as a number', { scope: 1 }],
    ['aud as an object', { aud: { a: 1 } }],
    ['clientName as an array', { clientName: ['acme-app'] }],
  ])('refuses %s (invalid_token)', async (_what, claims) => {
    await expectRefused(signRaw(acmeEs, { alg: 'ES256', kid: 'acme-es' }, { ...acme(), ...claims }), 401, 'invalid_token');
  });

  const signText = (pair: TestKeyPair, header: Record<string, unknown> | string, payload: string) => {
    const h = typeof header === 'string' ? Buffer.from(header).toString('base64url') : b64url(header);
    const input = `${h}.${Buffer.from(payload).toString('base64url')}`;
    const sig = createSign('sha256').update(input).sign({ key: pair.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${sig.toString('base64url')}`;
  };

  it('refuses duplicate claim names, even after a nested object that holds the same name (invalid_token)', async () => {
    const e = exp();
    await expectRefused(
      signText(acmeEs, { alg: 'ES256', kid: 'acme-es' }, `{"clientName":"acme-app","clientName":"other-app","exp":${e}}`),
      401,
      'invalid_token',
    );
    await expectRefused(
      signText(
        acmeEs,
        { alg: 'ES256', kid: 'acme-es' },
        `{"user":{"clientName":"x","q":"a\\"b"},"clientName":"acme-app","exp":${e},"exp":1}`,
      ),
      401,
      'invalid_token',
    );
  });

  it('refuses duplicate header members (invalid_token)', async () => {
    await expectRefused(signText(acmeEs, '{"alg":"ES256","kid":"acme-es","alg":"none"}', JSON.stringify(acme())), 401, 'invalid_token');
  });

  it('accepts a nested object whose own keys repeat a top-level claim name', async () => {
    await expectAccepted(
      signText(acmeEs, { alg: 'ES256', kid: 'acme-es' }, `{"user":{"clientName":"x","exp":1},"clientName":"acme-app","exp":${exp()}}`),
    );
  });
});

describe('time claims at the 60 s skew boundary', () => {
  it('accepts exp 30 s past and nbf 30 s ahead, and refuses exp and nbf 90 s out (token_expired)', async () => {
    const now = nowSeconds();
    await expectAccepted(await signWith(acmeEs, { clientName: 'acme-app', exp: now - 30 }));
    await expectAccepted(await signWith(acmeEs, { clientName: 'acme-app', nbf: now + 30, exp: now + 300 }));
    await expectRefused(await signWith(acmeEs, { clientName: 'acme-app', exp: now - 90 }), 401, 'token_expired');
    await expectRefused(await signWith(acmeEs, { clientName: 'acme-app', nbf: now + 90, exp: now + 300 }), 401, 'token_expired');
  });
});

describe('per-client claim policy', () => {
  const policy = (claims: Record<string, unknown>) => signWith(acmeEs, { clientName: 'policy-app', ...claims });
  it('answers missing_required_claim, invalid_token for a wrong audience or a lifetime over the maximum, and accepts an aud array', async () => {
    const now = nowSeconds();
    await expectRefused(await policy({ exp: now + 300, iat: now }), 401, 'missing_required_claim');
    await expectRefused(await policy({ aud: 'workoutkit', iat: now }), 401, 'missing_required_claim');
    await expectRefused(await policy({ aud: 'someone-else', exp: now + 300, iat: now }), 401, 'invalid_token');
    await expectRefused(await policy({ aud: 'workoutkit', exp: now + 3600, iat: now }), 401, 'invalid_token');
    await expectAccepted(await policy({ aud: ['other', 'workoutkit'], exp: now + 300, iat: now }));
  });
});
