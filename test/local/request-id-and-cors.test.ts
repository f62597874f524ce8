/**
 * X-Request-Id and the CORS policy, over HTTP against the local gateway with the real
 * functions: a safe caller id is echoed on every answer (handler answers, handler errors and
 * refusals made before any handler), an unsafe one is replaced; no answer ever grants CORS.
 */
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('X-Request-Id', () => {
  const calls: [string, string, string, unknown, number][] = [
    ['a handler answer', 'GET', '/.well-known/jwks.json', undefined, 200],
    ['a handler error', 'POST', '/authtoken', { clientName: 'nobody-here', clientSecret: 'x' }, 401],
    ['an unknown route', 'GET', '/v1/nothing-here', undefined, 404],
    ['an authorizer refusal', 'GET', '/v1/auth/verify', undefined, 401],
    ['an operator-key refusal', 'GET', '/admin/clients/acme-app', undefined, 401],
  ];

  it.each(calls)('echoes a safe caller id on %s', async (_what, method, path, body, status) => {
    const id = 'req_01J9Z3K:checkout.42-retry';
    const res = await gw.call('sandbox', method, path, { body, headers: { 'X-Request-Id': id } });
    expect(res.status).toBe(status);
    expect(res.headers.get('x-request-id')).toBe(id);
  });

  it.each(calls)('generates one when the caller sent none, on %s', async (_what, method, path, body) => {
    const res = await gw.call('sandbox', method, path, { body });
    expect(res.headers.get('x-request-id')).toMatch(UUID);
  });

  it.each([
    ['a space', 'has space'],
    ['over 128 characters', 'a'.repeat(129)],
    ['a quote', 'x"y'],
    ['non-ASCII', 'café'],
  ])('replaces an id with %s by a generated one', async (_what, id) => {
    const res = await gw.call('sandbox', 'GET', '/.well-known/jwks.json', { headers: { 'X-Request-Id': id } });
    expect(res.headers.get('x-request-id')).toMatch(UUID);
  });

  it('accepts exactly 128 characters', async () => {
    const id = 'b'.repeat(128);
    const res = await gw.call('sandbox', 'GET', '/.well-known/jwks.json', { headers: { 'X-Request-Id': id } });
    expect(res.headers.get('x-request-id')).toBe(id);
  });
});

describe('CORS: none (server-to-server API; the portal is served from the same origin)', () => {
  it('answers a preflight like any unknown method: 404, no Access-Control-* grant', async () => {
    const res = await gw.call('sandbox', 'OPTIONS', '/v1/auth/verify', {
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(res.status).toBe(404);
    const granted = [...res.headers.keys()].filter((h) => h.startsWith('access-control-'));
    expect(granted).toEqual([]);
  });

  it('sends no Access-Control-Allow-Origin on a cross-origin GET', async () => {
    const res = await gw.call('sandbox', 'GET', '/.well-known/jwks.json', { headers: { Origin: 'https://app.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
