/**
 * Every error body on POST /graphql carries both readings of the contract's error: REST's
 * `error`/`error_description` and GraphQL's `errors[].message`/`extensions.code`, with the
 * same code and text and the contract's status. Refusals made before the handler (Gateway
 * Responses: authorizer, throttle, quota; the local body limit) and the handler's own errors
 * alike. Over HTTP against the local gateway; the templates are the ones lib/ deploys.
 */
import { GATEWAY_RESPONSES, type GatewayResponseType } from '../../lambdas/gateway/gateway-responses';
import { templateAnswer } from '../../local/answers';
import { createClient } from '../support/clients';
import { signHs256, nowSeconds } from '../support/keys';
import { startTestGateway, type TestGateway, type CallResult } from '../support/local-gateway';

let gw: TestGateway;
const secrets: Record<string, string> = {};
const QUERY = { query: '{ publicWorkoutSession(id: "demo-audio-1") { id } }' };

beforeAll(async () => {
  gw = await startTestGateway({
    // sandbox: a tier with a bucket of one request, refilled once a second; prod: a deployment quota of one request.
    quotaConfig: {
      sandbox: { tiers: { default: { rateLimit: 1, burstLimit: 1 } } },
      prod: { tiers: { default: { rateLimit: 1000, burstLimit: 1000 } }, deployment: { limit: 1, period: 'DAY' } },
    },
  });
  for (const stage of ['sandbox', 'prod'] as const)
    secrets[stage] = await createClient(gw, stage, 'shape-app', { scopes: ['read', 'write'] });
}, 90_000);
afterAll(() => gw.close());

/** Asserts the two shapes agree, and returns the code. */
function bothShapes(res: CallResult): string {
  const body = res.body as {
    error?: unknown;
    error_description?: unknown;
    errors?: { message?: unknown; extensions?: { code?: unknown } }[];
  };
  expect(typeof body.error).toBe('string');
  expect(typeof body.error_description).toBe('string');
  expect(Array.isArray(body.errors)).toBe(true);
  expect(body.errors?.[0]?.extensions?.code).toBe(body.error);
  expect(body.errors?.[0]?.message).toBe(body.error_description);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return body.error as string;
}

const token = (stage: 'sandbox' | 'prod', claims: Record<string, unknown> = { sub: 'u-1' }) =>
  signHs256(secrets[stage] as string, { clientName: 'shape-app', exp: nowSeconds() + 300, ...claims });
const graphql = (stage: 'sandbox' | 'prod', options: Parameters<TestGateway['call']>[3]) => gw.call(stage, 'POST', '/graphql', options);

describe('refusals before the handler', () => {
  it('no bearer token (UNAUTHORIZED): 401 invalid_token in both shapes', async () => {
    const res = await graphql('sandbox', { body: QUERY });
    expect(res.status).toBe(401);
    expect(bothShapes(res)).toBe('invalid_token');
  });

  it("the authorizer's Deny (ACCESS_DENIED): 401 with the authorizer's code in both shapes", async () => {
    const res = await graphql('sandbox', { body: QUERY, token: signHs256('wrong-secret', { clientName: 'shape-app', sub: 'u-1' }) });
    expect(res.status).toBe(401);
    expect(bothShapes(res)).toBe('invalid_signature');
  });

  it('a body over 64 KiB: 400 invalid_request in both shapes', async () => {
    const res = await graphql('sandbox', { body: { query: `{ ${'x'.repeat(70 * 1024)} }` }, token: 'whatever' });
    expect(res.status).toBe(400);
    expect(bothShapes(res)).toBe('invalid_request');
  });

  it('throttled (THROTTLED): 429 rate_limited in both shapes', async () => {
    const t = token('sandbox');
    const answers = await Promise.all(
      [1, 2, 3].map(() => graphql('sandbox', { body: QUERY, token: t, headers: { 'x-workoutkit-device': 'dev-1' } })),
    );
    const throttled = answers.find((r) => r.status === 429);
    expect(throttled).toBeDefined();
    expect(bothShapes(throttled as CallResult)).toBe('rate_limited');
  });

  it('quota used up (counted by the handler): 429 quota_exceeded in both shapes', async () => {
    const t = token('prod');
    await graphql('prod', { body: QUERY, token: t, headers: { 'x-workoutkit-device': 'dev-1' } });
    const res = await graphql('prod', { body: QUERY, token: t, headers: { 'x-workoutkit-device': 'dev-1' } });
    expect(res.status).toBe(429);
    expect(bothShapes(res)).toBe('quota_exceeded');
  });

  it.each(Object.keys(GATEWAY_RESPONSES) as GatewayResponseType[])('the %s Gateway Response renders both shapes', (type) => {
    const answer = templateAnswer(type, { error: 'invalid_token', errorDescription: 'Token expired' });
    const body = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
    expect(body).toEqual({
      error: body.error,
      error_description: body.error_description,
      errors: [{ message: body.error_description, extensions: { code: body.error } }],
    });
    expect(answer.status).toBe(GATEWAY_RESPONSES[type].status);
  });
});

describe("the handler's own errors", () => {
  it('a token without sub: 401 missing_required_claim in both shapes', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // let the sandbox bucket refill
    const res = await graphql('sandbox', { body: QUERY, token: token('sandbox', {}) });
    expect(res.status).toBe(401);
    expect(bothShapes(res)).toBe('missing_required_claim');
  });

  it('no X-WorkoutKit-Device: 400 device_required in both shapes', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const res = await graphql('sandbox', { body: QUERY, token: token('sandbox') });
    expect(res.status).toBe(400);
    expect(bothShapes(res)).toBe('device_required');
  });

  it('a document that does not validate: 400 invalid_request in both shapes', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const res = await graphql('sandbox', {
      body: { query: '{ nope }' },
      token: token('sandbox'),
      headers: { 'x-workoutkit-device': 'dev-1' },
    });
    expect(res.status).toBe(400);
    expect(bothShapes(res)).toBe('invalid_request');
  });
});
