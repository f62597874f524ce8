/**
 * Client input never reaches a 5xx: numbers that cannot become dates, JSON too deep to walk
 * recursively, values DynamoDB cannot store, prototype-named keys in bodies, headers and query
 * strings. Over HTTP against the local gateway (DynamoDB Local); each case names the 4xx the
 * contract gives it.
 */
import { keyPair, nowSeconds, signHs256 } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
let secret: string;
let userToken: string;
let apiKey: string;

beforeAll(async () => {
  gw = await startTestGateway();
  const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'input-app', scopes: ['read', 'write', 'settings'] });
  secret = created.body.clientSecret as string;
  apiKey = created.body.apiKey as string;
  const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'input-app', clientSecret: secret, sub: 'user-1' } });
  userToken = issued.body.token as string;
}, 90_000);
afterAll(() => gw.close());

/** The JSON text of `{"data": <value>}` nested `levels` deep as objects. */
const nested = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('NumericDate claims outside what a date can hold', () => {
  // 8.64e15 ms is the largest instant a JavaScript Date holds; as seconds that is 8.64e12.
  it.each([
    ['exp', { exp: 8.64e12 + 1 }],
    ['exp', { exp: 1e300 }],
    ['iat', { iat: -1e300, exp: nowSeconds() + 300 }],
    ['nbf', { nbf: -9e15, exp: nowSeconds() + 300 }],
  ])('refuses a valid HS256 token whose %s is out of range with 401 invalid_token', async (_claim, times) => {
    const token = signHs256(secret, { clientName: 'input-app', sub: 'user-1', ...times });
    const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
  });
});

describe('POST /v1/events data the store cannot keep', () => {
  const post = (text: string) =>
    gw.call('sandbox', 'POST', '/v1/events', { token: userToken, body: text, headers: { 'content-type': 'application/json' } });

  it('refuses data nested 10,000 levels with 400 invalid_request', async () => {
    const res = await post(`{"type":"session.completed","data":${nested(10_000)}}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('refuses a body nested 30,000 levels (arrays) with 400 invalid_request', async () => {
    const res = await post(`{"type":"session.completed","data":{"a":${'['.repeat(30_000)}${']'.repeat(30_000)}}}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it.each([
    ['1e130', '{"v":1e130}'],
    ['2^53+1', '{"v":9007199254740993}'],
    ['-2^60', '{"v":-1152921504606846976}'],
    ['1e-200', '{"v":1e-200}'],
    ['a __proto__ key', '{"__proto__":{"x":1}}'],
    ['a nested __proto__ key', '{"list":[{"__proto__":{"x":1}}]}'],
    ['a constructor key', '{"constructor":1}'],
    ['a nested constructor key', '{"m":{"constructor":{"x":1}}}'],
  ])('refuses data holding %s with 400 invalid_request before the write', async (_what, data) => {
    const res = await post(`{"type":"session.completed","data":${data}}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('still records ordinary data, with toString and valueOf as plain keys', async () => {
    const res = await post('{"type":"session.completed","data":{"toString":1,"valueOf":"x","score":12.5,"big":9007199254740991}}');
    expect(res.status).toBe(202);
    expect(typeof res.body.id).toBe('string');
  });
});

describe('PUT keys with a prototype-named member', () => {
  it('refuses a JWK containing __proto__ with 400 invalid_request', async () => {
    const jwk = keyPair('ES256', 'proto-key').publicJwk;
    const text = `{"jwks":{"keys":[${JSON.stringify(jwk).slice(0, -1)},"__proto__":{"kty":"oct"}}]}}`;
    const res = await gw.call('sandbox', 'PUT', '/admin/clients/input-app/keys', {
      body: text,
      headers: { 'content-type': 'application/json', 'x-workoutkit-admin-key': gw.gateway.stages.sandbox.adminKey },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });
});

describe('headers and query parameters named like Object.prototype members', () => {
  const NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];

  it.each(NAMES)('leaves routes working with a query parameter named %s', async (name) => {
    const q = `?${encodeURIComponent(name)}=1&${encodeURIComponent(name)}=2`;
    const jwks = await fetch(`${gw.url('sandbox', '/.well-known/jwks.json')}${q}`);
    expect(jwks.status).toBe(200);
    const verify = await fetch(`${gw.url('sandbox', '/v1/auth/verify')}${q}`, { headers: { authorization: `Bearer ${userToken}` } });
    expect(verify.status).toBe(200);
  });

  it.each(NAMES)('leaves routes working with a header named %s (sent twice)', async (name) => {
    // A Headers list, not an object literal: `{__proto__: ...}` would set a prototype instead.
    const headers = new Headers([[name, 'a']]);
    headers.append(name, 'b');
    headers.set('authorization', `Bearer ${userToken}`);
    const verify = await fetch(gw.url('sandbox', '/v1/auth/verify'), { headers });
    expect(verify.status).toBe(200);
    const admin = new Headers([
      [name, 'a'],
      ['x-workoutkit-admin-key', gw.gateway.stages.sandbox.adminKey],
    ]);
    const client = await fetch(gw.url('sandbox', '/admin/clients/input-app'), { headers: admin });
    expect(client.status).toBe(200);
  });
});

describe('path parameters named like Object.prototype members', () => {
  const NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];

  it.each(NAMES)('answers GET /v1/%s/catalog with a 4xx, by bearer token and by API key', async (name) => {
    const byToken = await gw.call('sandbox', 'GET', `/v1/${name}/catalog`, { token: userToken });
    expect(byToken.status).toBeGreaterThanOrEqual(400);
    expect(byToken.status).toBeLessThan(500);
    const byKey = await gw.call('sandbox', 'GET', `/v1/${name}/catalog`, { headers: { 'x-api-key': apiKey } });
    expect(byKey.status).toBeGreaterThanOrEqual(400);
    expect(byKey.status).toBeLessThan(500);
  });

  it.each(NAMES)('answers the session, usage and client routes for %s with a 4xx', async (name) => {
    expect((await gw.call('sandbox', 'GET', `/v1/${name}/sessions/hiit-20-core`, { token: userToken })).status).toBe(403);
    expect((await gw.admin('sandbox', 'GET', `/admin/clients/${name}`)).status).toBeLessThan(500);
    expect((await gw.admin('sandbox', 'GET', `/admin/clients/${name}/usage`)).status).toBeLessThan(500);
    expect((await gw.admin('sandbox', 'POST', `/admin/clients/${name}/rotate-secret`, { graceSeconds: 0 })).status).toBeLessThan(500);
  });
});
