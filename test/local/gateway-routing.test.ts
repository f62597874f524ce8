/**
 * The local gateway's HTTP behaviour outside the authorizer: routing, limits, the operator
 * key, the proxy event and the proxy result. Fixture handlers; DynamoDB from global setup.
 */
import http from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { errorBody } from '../../lambdas/core/error-answer';
import { ADMIN_KEY_HEADER, MAX_BODY_BYTES, MAX_HEADER_BYTES } from '../../lambdas/gateway/settings';
import { fakeAuthorizer } from './fixtures/fake-authorizer';
import { TEST_ROUTES, testFunctions } from './fixtures/routes';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ routes: TEST_ROUTES, functions: testFunctions(fakeAuthorizer()) });
});
afterAll(() => gw.close());

const echoed = (body: Record<string, unknown>) => (body.event ?? {}) as APIGatewayProxyEvent;

describe('routing', () => {
  it('answers an unknown route with the MISSING_AUTHENTICATION_TOKEN template (404 not_found)', async () => {
    const res = await gw.call('sandbox', 'GET', '/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual(errorBody('not_found', 'No such route'));
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown stage or a bare stage with 404', async () => {
    const bad = await fetch(`${gw.gateway.url}/staging/echo`, { method: 'POST' });
    expect(bad.status).toBe(404);
    expect(await bad.json()).toMatchObject({ error: 'not_found' });
    expect((await fetch(`${gw.gateway.url}/`)).status).toBe(404);
    expect((await fetch(`${gw.url('prod')}`)).status).toBe(404);
  });

  it('answers a known path with the wrong method 404 not_found, as API Gateway does, with Allow', async () => {
    const res = await gw.call('sandbox', 'DELETE', '/echo');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
    expect(res.headers.get('allow')).toBe('POST, PUT');
  });

  it('prefers a literal segment over a path parameter', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/things/special', { token: `allow-all.${Math.random()}` });
    expect(echoed(res.body).resource).toBe('/v1/things/special');
  });
});

describe('limits', () => {
  it('refuses a body over 64 KiB with 400 invalid_request, without calling the handler', async () => {
    const res = await gw.call('sandbox', 'POST', '/echo', { body: 'x'.repeat(MAX_BODY_BYTES + 1) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'Body over 64 KiB' });
    expect(res.body.event).toBeUndefined();
  });

  it('accepts a body of exactly 64 KiB', async () => {
    const res = await gw.call('sandbox', 'POST', '/echo', { body: 'y'.repeat(MAX_BODY_BYTES) });
    expect(res.status).toBe(200);
    expect(echoed(res.body).body).toHaveLength(MAX_BODY_BYTES);
  });

  it('refuses a chunked body over the limit, and one far over it, and keeps serving', async () => {
    const chunked = await rawRequest(gw.url('sandbox', '/echo'), 'POST', {}, 'z'.repeat(200 * 1024), true);
    expect(chunked.status).toBe(400);
    const huge = await rawRequest(gw.url('sandbox', '/echo'), 'POST', {}, Buffer.alloc(2 * 1024 * 1024, 1));
    expect(huge.status).toBe(400);
    expect((await gw.call('sandbox', 'POST', '/echo', { body: 'ok' })).status).toBe(200);
  });

  it('refuses request headers over 16 KiB with 431 before any code runs', async () => {
    const res = await rawRequest(gw.url('sandbox', '/echo'), 'POST', { 'x-big': 'h'.repeat(MAX_HEADER_BYTES) });
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'invalid_request' });
    expect(res.headers['x-request-id']).toBeDefined();
  });
});

describe('operator routes', () => {
  it('refuses a missing operator key with 401 unauthorized', async () => {
    const res = await gw.call('sandbox', 'GET', '/admin/ping');
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('unauthorized');
  });

  it("refuses a wrong key, and the other stage's key", async () => {
    const wrong = await gw.call('sandbox', 'GET', '/admin/ping', { headers: { [ADMIN_KEY_HEADER]: 'nope' } });
    expect(wrong.status).toBe(401);
    const prodKey = gw.gateway.stages.prod.adminKey;
    expect(prodKey).not.toBe(gw.gateway.stages.sandbox.adminKey);
    const cross = await gw.call('sandbox', 'GET', '/admin/ping', { headers: { [ADMIN_KEY_HEADER]: prodKey } });
    expect(cross.status).toBe(401);
  });

  it('passes the right key through, with an operator identity in the event', async () => {
    const res = await gw.admin('sandbox', 'GET', '/admin/ping');
    expect(res.status).toBe(200);
    expect(echoed(res.body).requestContext.identity.userArn).toMatch(/local-operator$/);
  });

  it('keeps a generated operator key stable across restarts of the same data dir', async () => {
    const again = await startTestGateway({ routes: TEST_ROUTES, functions: testFunctions(fakeAuthorizer()), dataDir: gw.dataDir });
    try {
      expect(again.gateway.stages.sandbox.adminKey).toBe(gw.gateway.stages.sandbox.adminKey);
      expect(again.gateway.stages.sandbox.adminKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      await again.gateway.close(); // not again.close(): the data dir belongs to `gw`
    }
  });
});

describe('Lambda proxy integration', () => {
  it('builds a REST proxy event', async () => {
    const res = await gw.call('prod', 'GET', '/v1/things/a%20b', {
      token: `allow-all.${Math.random()}`,
      query: { q: '1' },
      headers: { 'X-Multi': 'one' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-fixture-stage')).toBe('prod');
    const event = echoed(res.body);
    expect(event).toMatchObject({
      resource: '/v1/things/{id}',
      path: '/v1/things/a%20b',
      httpMethod: 'GET',
      pathParameters: { id: 'a b' },
      queryStringParameters: { q: '1' },
      multiValueQueryStringParameters: { q: ['1'] },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    // Names keep the casing the client sent (fetch may send either).
    const name = Object.keys(event.headers).find((h) => h.toLowerCase() === 'x-multi') ?? '';
    expect(event.headers[name]).toBe('one');
    expect(event.multiValueHeaders[name]).toEqual(['one']);
    expect(event.requestContext).toMatchObject({
      stage: 'prod',
      resourcePath: '/v1/things/{id}',
      httpMethod: 'GET',
      path: '/prod/v1/things/a%20b',
    });
    expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
    expect(typeof event.requestContext.requestTimeEpoch).toBe('number');
    expect(event.requestContext.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('keeps the last value in single-value maps and all in multi-value maps', async () => {
    const res = await rawRequest(gw.url('sandbox', '/echo?a=1&a=2'), 'POST', { 'X-Dup': ['p', 'q'] }, '{}');
    const event = JSON.parse(res.body).event as APIGatewayProxyEvent;
    expect(event.queryStringParameters).toEqual({ a: '2' });
    expect(event.multiValueQueryStringParameters).toEqual({ a: ['1', '2'] });
    expect(event.headers['X-Dup']).toBe('q');
    expect(event.multiValueHeaders['X-Dup']).toEqual(['p', 'q']);
  });

  it('passes a non-UTF-8 body base64-encoded', async () => {
    const res = await gw.call('sandbox', 'PUT', '/echo', { body: Buffer.from([0xff, 0xfe, 0x00]) });
    const event = echoed(res.body);
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(Buffer.from([0xff, 0xfe, 0x00]));
  });

  it('decodes a base64 result and merges multiValueHeaders over headers', async () => {
    const res = await fetch(gw.url('sandbox', '/binary'));
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('answers a handler that throws with the INTEGRATION_FAILURE template (503)', async () => {
    const res = await gw.call('sandbox', 'GET', '/boom');
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('service_unavailable');
    expect(res.headers.get('retry-after')).toBe('1');
  });

  it('answers a malformed proxy result, or a function with no module, with 503', async () => {
    expect((await gw.call('sandbox', 'GET', '/malformed')).status).toBe(503);
    expect((await gw.call('sandbox', 'GET', '/missing')).status).toBe(503);
  });

  it('gives each stage its own env: table, keyring file, cache TTL, local mode', () => {
    const { sandbox, prod } = gw.gateway.stages;
    expect(sandbox.env).toMatchObject({ STAGE: 'sandbox', TENANT: 'local', KEYRING: 'local', LOCAL_MODE: '1', AUTHORIZER_CACHE_TTL: '60' });
    expect(sandbox.env.TABLE_NAME).toBe(`${gw.tablePrefix}-local-sandbox`);
    expect(prod.env.TABLE_NAME).toBe(`${gw.tablePrefix}-local-prod`);
    expect(sandbox.env.LOCAL_KEY_FILE).not.toBe(prod.env.LOCAL_KEY_FILE);
  });
});

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** node:http rather than fetch: duplicate headers, huge headers, chunked bodies. */
function rawRequest(
  url: string,
  method: string,
  headers: Record<string, string | string[]>,
  body?: string | Buffer,
  chunked = false,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, headers: chunked ? headers : { ...headers, 'content-length': body ? Buffer.byteLength(body) : 0 } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}
