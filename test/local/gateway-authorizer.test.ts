/**
 * The REQUEST authorizer step as API Gateway runs it: identity source, result cache,
 * policy evaluation, Gateway Responses, and the usage-plan seam. Fixture authorizer.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { errorBody } from '../../lambdas/core/error-answer';
import { GATEWAY_RESPONSES, renderTemplate } from '../../lambdas/gateway/gateway-responses';
import type { AllowedRequest } from '../../local/request-pipeline';
import { fakeAuthorizer, type FakeAuthorizer } from './fixtures/fake-authorizer';
import { TEST_ROUTES, testFunctions } from './fixtures/routes';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

const fresh = (kind: string): string => `${kind}.${Math.random().toString(36).slice(2)}`;
const echoed = (body: Record<string, unknown>) => (body.event ?? {}) as APIGatewayProxyEvent;

describe('jwt routes, cache on (TTL 60 s, fake clock)', () => {
  let gw: TestGateway;
  let auth: FakeAuthorizer;
  let now = Date.UTC(2026, 0, 1);
  const allowed: AllowedRequest[] = [];
  beforeAll(async () => {
    auth = fakeAuthorizer();
    gw = await startTestGateway({
      routes: TEST_ROUTES,
      functions: testFunctions(auth),
      clock: () => now,
      hooks: {
        afterAllow: (req) => {
          allowed.push(req);
          return req.usageIdentifierKey === 'key-over-quota' ? 'QUOTA_EXCEEDED' : undefined;
        },
      },
    });
  });
  afterAll(() => gw.close());

  it('answers a missing Authorization header with the UNAUTHORIZED template, without calling the authorizer', async () => {
    const before = auth.events.length;
    const res = await gw.call('sandbox', 'GET', '/v1/things/1');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(errorBody('invalid_token', 'Missing or malformed bearer token'));
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    const empty = await gw.call('sandbox', 'GET', '/v1/things/1', { headers: { authorization: '' } });
    expect(empty.status).toBe(401);
    expect(auth.events.length).toBe(before);
  });

  it('gives the authorizer a REQUEST event with the method ARN of this request', async () => {
    const token = fresh('allow-all');
    await gw.call('prod', 'GET', '/v1/things/42', { token, query: { x: 'y' } });
    const event = auth.events.at(-1);
    expect(event).toMatchObject({
      type: 'REQUEST',
      resource: '/v1/things/{id}',
      path: '/v1/things/42',
      httpMethod: 'GET',
      pathParameters: { id: '42' },
      queryStringParameters: { x: 'y' },
      stageVariables: null,
    });
    expect(event?.methodArn).toBe(`arn:aws:execute-api:local:000000000000:${gw.gateway.stages.prod.apiId}/prod/GET/v1/things/42`);
    expect(event?.requestContext.stage).toBe('prod');
  });

  it('passes an Allow to the integration with the context stringified, plus principalId', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/things/7', { token: fresh('allow-all') });
    expect(res.status).toBe(200);
    expect(echoed(res.body).requestContext.authorizer).toMatchObject({ sub: 'u1', n: '7', ok: 'true', principalId: 'acme' });
  });

  it('reuses a cached Allow for another method of the same identity until the TTL ends', async () => {
    const token = fresh('allow-all');
    expect((await gw.call('sandbox', 'GET', '/v1/things/1', { token })).status).toBe(200);
    expect((await gw.call('sandbox', 'POST', '/v1/things', { token, body: {} })).status).toBe(200);
    expect((await gw.call('sandbox', 'GET', '/v1/things/2', { token })).status).toBe(200);
    expect(auth.callsFor(token)).toBe(1);
    now += 60_000;
    expect((await gw.call('sandbox', 'GET', '/v1/things/1', { token })).status).toBe(200);
    expect(auth.callsFor(token)).toBe(2);
  });

  it('keeps stages apart: each has its own cache', async () => {
    const token = fresh('allow-all');
    await gw.call('sandbox', 'GET', '/v1/things/1', { token });
    await gw.call('prod', 'GET', '/v1/things/1', { token });
    expect(auth.callsFor(token)).toBe(2);
  });

  it('caches a Deny too, and renders ACCESS_DENIED with its context', async () => {
    const token = fresh('deny');
    for (const path of ['/v1/things/1', '/v1/things/2']) {
      const res = await gw.call('sandbox', 'GET', path, { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(errorBody('token_expired', 'Token expired'));
      // The header is whatever the deployed template says (rendered like the body).
      expect(res.headers.get('www-authenticate')).toBe(
        renderTemplate(GATEWAY_RESPONSES.ACCESS_DENIED.headers['WWW-Authenticate'] ?? '', {
          error: 'token_expired',
          errorDescription: 'Token expired',
        }),
      );
    }
    expect(auth.callsFor(token)).toBe(1);
  });

  it('evaluates a cached policy against each new method ARN (the per-method Allow bug)', async () => {
    const token = fresh('allow-method');
    expect((await gw.call('sandbox', 'GET', '/v1/things/1', { token })).status).toBe(200);
    const other = await gw.call('sandbox', 'POST', '/v1/things', { token, body: {} });
    expect(other.status).toBe(401); // ACCESS_DENIED from the cached, too narrow Allow
    expect(auth.callsFor(token)).toBe(1);
  });

  it('answers a thrown "Unauthorized" with the UNAUTHORIZED template, uncached', async () => {
    const token = fresh('unauthorized');
    for (let i = 0; i < 2; i++) {
      const res = await gw.call('sandbox', 'GET', '/v1/things/1', { token });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_token');
    }
    expect(auth.callsFor(token)).toBe(2);
  });

  it('answers any other authorizer failure with AUTHORIZER_FAILURE (503), uncached and never open', async () => {
    const token = fresh('boom');
    const res = await gw.call('sandbox', 'GET', '/v1/things/1', { token });
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('service_unavailable');
    expect(res.body.event).toBeUndefined();
    await gw.call('sandbox', 'GET', '/v1/things/1', { token });
    expect(auth.callsFor(token)).toBe(2);
  });

  it('treats an object in the authorizer context as a configuration error (503)', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/things/1', { token: fresh('bad-context') });
    expect(res.status).toBe(503);
  });

  it('calls the usage seam after every Allow (cache hits too), with usageIdentifierKey, never after a refusal', async () => {
    const token = fresh('metered');
    allowed.length = 0;
    await gw.call('sandbox', 'GET', '/v1/things/1', { token });
    await gw.call('sandbox', 'GET', '/v1/things/2', { token });
    await gw.call('sandbox', 'GET', '/v1/things/3', { token: fresh('deny') });
    await gw.call('sandbox', 'GET', '/v1/things/3');
    await gw.call('sandbox', 'POST', '/echo', { token });
    expect(allowed.map((a) => [a.usageIdentifierKey, a.cached, a.route.operation])).toEqual([
      ['key-acme', false, 'getThing'],
      ['key-acme', true, 'getThing'],
    ]);
  });

  it('lets the usage seam refuse with a Gateway Response (QUOTA_EXCEEDED)', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/things/1', { token: fresh('over-quota') });
    expect(res.status).toBe(429);
    expect(res.body.error).toBe('quota_exceeded');
    expect(res.headers.get('retry-after')).toBe('3600');
  });
});

describe('jwt routes, cache off (TTL 0)', () => {
  let gw: TestGateway;
  let auth: FakeAuthorizer;
  beforeAll(async () => {
    auth = fakeAuthorizer();
    gw = await startTestGateway({ routes: TEST_ROUTES, functions: testFunctions(auth), authorizerCacheTtlSeconds: 0 });
  });
  afterAll(() => gw.close());

  it('calls the authorizer on every request', async () => {
    const token = fresh('allow-all');
    await gw.call('sandbox', 'GET', '/v1/things/1', { token });
    await gw.call('sandbox', 'GET', '/v1/things/1', { token });
    expect(auth.callsFor(token)).toBe(2);
    expect(gw.gateway.stages.sandbox.env.AUTHORIZER_CACHE_TTL).toBe('0');
  });

  it('still refuses a missing identity source without calling the authorizer', async () => {
    const before = auth.events.length;
    expect((await gw.call('sandbox', 'GET', '/v1/things/1')).status).toBe(401);
    expect(auth.events.length).toBe(before);
  });
});

describe('gateway options', () => {
  it('refuses a cache TTL over the contract maximum', async () => {
    await expect(startTestGateway({ authorizerCacheTtlSeconds: 301 })).rejects.toThrow(/TTL/);
  });
});
