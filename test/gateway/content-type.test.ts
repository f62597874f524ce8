/**
 * JSON routes read a body as JSON only when it is sent as application/json: text/plain, a
 * form or no Content-Type at all is 400 invalid_request (the contract's status for a
 * malformed header), even when the bytes are valid JSON. Every POST and PUT route of the
 * route table, over HTTP against the local gateway.
 */
import { routeKey } from '../../lambdas/gateway/openapi/document';
import { OPERATION_DOCS } from '../../lambdas/gateway/openapi/operations';
import { ROUTES } from '../../lambdas/gateway/routes';
import { createClient } from '../support/clients';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
let userToken: string;
let secret: string;

beforeAll(async () => {
  gw = await startTestGateway();
  secret = await createClient(gw, 'sandbox', 'ctype-app', { scopes: ['read', 'write', 'settings'] });
  const res = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'ctype-app', clientSecret: secret, sub: 'user-1' } });
  userToken = res.body.token as string;
}, 90_000);
afterAll(() => gw.close());

// Routes whose body is a form (POST /oauth2/token) say so in their OpenAPI entry; test/oauth covers them.
const JSON_ROUTES = ROUTES.filter(
  (r) => (r.method === 'POST' || r.method === 'PUT') && OPERATION_DOCS[routeKey(r)]?.requestContentType === undefined,
);
const concrete = (path: string) => path.replace('{clientName}', 'ctype-app').replace('{sessionId}', 'hiit-20-core');

function send(route: (typeof JSON_ROUTES)[number], body: string, contentType: string | undefined) {
  const headers: Record<string, string> = { 'x-workoutkit-device': 'device-ctype-0001' };
  if (contentType !== undefined) headers['content-type'] = contentType;
  if (route.auth === 'operator') headers['x-workoutkit-admin-key'] = gw.gateway.stages.sandbox.adminKey;
  return gw.call('sandbox', route.method, concrete(route.path), {
    body,
    headers,
    ...(route.auth === 'jwt' || route.auth === 'jwt-or-api-key' ? { token: userToken } : {}),
  });
}

const JSON_TEXT = '{"clientName":"ctype-app","clientSecret":"x","type":"session.completed","query":"{ x }","graceSeconds":0}';

describe.each(JSON_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_name, route) => {
  it.each([
    ['text/plain', 'text/plain'],
    ['text/plain; charset=utf-8', 'text/plain; charset=utf-8'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['no Content-Type', undefined],
    ['JSON in another charset', 'application/json; charset=latin1'],
    ['a lookalike type', 'application/jsonx'],
  ])('refuses a JSON-looking body sent as %s with 400 invalid_request', async (_what, contentType) => {
    const res = await send(route, JSON_TEXT, contentType);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.error_description).toMatch(/Content-Type/);
  });

  it('reads the same body sent as application/json; charset=UTF-8 (any answer but a Content-Type refusal)', async () => {
    const res = await send(route, JSON_TEXT, 'application/json; charset=UTF-8');
    expect(JSON.stringify(res.body.error_description ?? '')).not.toMatch(/Content-Type/);
    expect(res.status).toBeLessThan(500);
  });
});

it('refuses form credentials at /authtoken rather than reading them', async () => {
  const res = await gw.call('sandbox', 'POST', '/authtoken', {
    body: `clientName=ctype-app&clientSecret=${secret}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(res.status).toBe(400);
  expect(res.body.error).toBe('invalid_request');
});
