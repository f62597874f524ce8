/** POST /authtoken and the operator client routes, over HTTP against DynamoDB Local. */
import http from 'node:http';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { FAILURE_LIMIT } from '../../lambdas/store/token-lockout-store';
import { signHs256 } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
const secrets: Record<string, string> = {};

beforeAll(async () => {
  gw = await startTestGateway();
  for (const clientName of ['tok-app', 'lock-app']) {
    const res = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName, scopes: ['read', 'settings'] });
    secrets[clientName] = res.body.clientSecret as string;
  }
});
afterAll(() => gw.close());

const authtoken = (body: unknown) => gw.call('sandbox', 'POST', '/authtoken', { body });

describe('POST /authtoken', () => {
  it('issues a 4-hour ES256 token with user, clientName, iat, exp, jti and the client scopes', async () => {
    const res = await authtoken({ clientName: 'tok-app', clientSecret: secrets['tok-app'], userInfo: { name: 'Ada' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 14400 });
    const token = res.body.token as string;
    const claims = decodeJwt(token);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(claims).toMatchObject({ user: { name: 'Ada' }, clientName: 'tok-app', scope: ['read', 'settings'] });
    expect((claims.exp as number) - (claims.iat as number)).toBe(14400);
    expect(typeof claims.jti).toBe('string');
    expect(res.body.expiresAt).toBe(new Date((claims.exp as number) * 1000).toISOString());
  });

  it('answers an unknown clientName and a wrong secret with the same 401 invalid_client', async () => {
    const unknown = await authtoken({ clientName: 'nobody-app', clientSecret: 'x' });
    const wrong = await authtoken({ clientName: 'tok-app', clientSecret: 'x' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.text).toBe(wrong.text);
    expect(unknown.headers.get('www-authenticate')).toBe(wrong.headers.get('www-authenticate'));
  });

  it.each([
    ['no body', undefined],
    ['an array', []],
    ['a missing secret', { clientName: 'tok-app' }],
    ['a numeric clientName', { clientName: 7, clientSecret: 'x' }],
    ['userInfo that is not an object', { clientName: 'tok-app', clientSecret: 'x', userInfo: 'me' }],
    ['an empty sub', { clientName: 'tok-app', clientSecret: 'x', sub: '' }],
  ])('refuses %s with 400 invalid_request', async (_name, body) => {
    const res = await gw.call('sandbox', 'POST', '/authtoken', body === undefined ? {} : { body });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('refuses malformed JSON and a body over 64 KiB with 400 invalid_request', async () => {
    const bad = await gw.call('sandbox', 'POST', '/authtoken', { body: '{"clientName":', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    const big = await authtoken({ clientName: 'tok-app', clientSecret: 'x', userInfo: { pad: 'x'.repeat(70 * 1024) } });
    expect(big.status).toBe(400);
    expect(big.body.error).toBe('invalid_request');
  });

  it(`locks a clientName out after ${FAILURE_LIMIT} wrong secrets (429 with Retry-After), even with the right one`, async () => {
    for (let i = 0; i < FAILURE_LIMIT; i++) expect((await authtoken({ clientName: 'lock-app', clientSecret: 'wrong' })).status).toBe(401);
    const locked = await authtoken({ clientName: 'lock-app', clientSecret: secrets['lock-app'] });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toBe('rate_limited');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

/** POST /authtoken from another loopback address (the gateway sees it as the caller's source IP). */
function authtokenFrom(localAddress: string, body: unknown): Promise<number> {
  const url = new URL(gw.url('sandbox', '/authtoken'));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

it('locks out only the address that failed: the client still gets tokens from elsewhere', async () => {
  await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'victim-app' });
  const secret = (await gw.admin('sandbox', 'POST', '/admin/clients/victim-app/rotate-secret', { graceSeconds: 0 })).body
    .clientSecret as string;
  for (let i = 0; i < FAILURE_LIMIT; i++)
    expect(await authtokenFrom('127.0.0.2', { clientName: 'victim-app', clientSecret: 'guess' })).toBe(401);
  expect(await authtokenFrom('127.0.0.2', { clientName: 'victim-app', clientSecret: secret })).toBe(429);
  expect(await authtokenFrom('127.0.0.3', { clientName: 'victim-app', clientSecret: secret })).toBe(200);
});

describe('client HS256 tokens through the gateway', () => {
  it('accepts a token signed with the clientSecret as jsonwebtoken.sign does', async () => {
    const token = signHs256(secrets['tok-app'] as string, { clientName: 'tok-app', sub: 'u-1', scope: 'read write' });
    const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      clientName: 'tok-app',
      sub: 'u-1',
      tokenKind: 'client-hs256',
      alg: 'HS256',
      scope: ['read'],
      kid: null,
      expiresAt: null,
    });
  });

  it('answers a wrong signature with 401 invalid_signature and a Bearer challenge', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: signHs256('not-the-secret', { clientName: 'tok-app' }) });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_signature');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });
});

describe('operator client routes', () => {
  it('refuses a missing or wrong operator key with 401 unauthorized', async () => {
    const res = await gw.call('sandbox', 'GET', '/admin/clients/tok-app', { headers: { 'x-workoutkit-admin-key': 'nope' } });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('unauthorized');
  });

  it('answers 409 conflict for an existing name and 400 for a bad name', async () => {
    expect((await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'tok-app' })).status).toBe(409);
    expect((await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'Bad_Name' })).body.error).toBe('invalid_request');
  });

  it('shows a client without any secret, and 404 for an unknown one', async () => {
    const res = await gw.admin('sandbox', 'GET', '/admin/clients/tok-app');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clientName: 'tok-app', scopes: ['read', 'settings'] });
    expect(res.text).not.toContain(secrets['tok-app']);
    expect(res.text).not.toContain('sealed');
    expect((await gw.admin('sandbox', 'GET', '/admin/clients/nobody-app')).status).toBe(404);
  });
});

it('refuses a body over 64 KiB on /graphql in both error shapes, before the authorizer runs', async () => {
  const res = await gw.call('sandbox', 'POST', '/graphql', { body: { query: `{ ${'x'.repeat(70 * 1024)} }` }, token: 'whatever' });
  expect(res.status).toBe(400);
  expect(res.body).toEqual({
    error: 'invalid_request',
    error_description: 'Body over 64 KiB',
    errors: [{ message: 'Body over 64 KiB', extensions: { code: 'invalid_request' } }],
  });
});

it('answers an unknown method on a known path 404 not_found, as API Gateway does', async () => {
  const res = await gw.call('sandbox', 'DELETE', '/v1/auth/verify');
  expect(res.status).toBe(404);
  expect(res.body.error).toBe('not_found');
});
