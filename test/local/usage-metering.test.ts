/**
 * Quota counting and tier throttling through the local gateway, with the real functions, on
 * DynamoDB Local: only authenticated requests are counted (no 401 of any origin), counts are
 * exact under concurrency for one client and for clients sharing the deployment quota, refusals
 * are 429 quota_exceeded with Retry-After to the period's reset, and are not counted; tiers
 * throttle; counters survive a restart.
 */
import type { StageQuotaConfig } from '../../lambdas/core/quota';
import { claimsOf } from '../support/clients';
import { signHs256 } from '../support/keys';
import { startTestGateway, type CallResult, type TestGateway } from '../support/local-gateway';

const DEPLOYMENT_LIMIT = 20;
// The machine running the suite may be shared: the concurrency cases get time.
const SLOW = 180_000;
const CONFIG: StageQuotaConfig = {
  deployment: { limit: DEPLOYMENT_LIMIT, period: 'MONTH' },
  tiers: { default: { rateLimit: 10_000, burstLimit: 10_000 }, slow: { rateLimit: 1, burstLimit: 2 } },
};
// prod: no deployment quota, so client quotas can be exercised far beyond sandbox's 60.
const PROD: StageQuotaConfig = { tiers: CONFIG.tiers };
let now = Date.now();
const clock = (): number => now;

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ clock, quotaConfig: { sandbox: CONFIG, prod: PROD } });
});
afterAll(() => gw.close());

type Stage = 'sandbox' | 'prod';

async function newClient(
  stage: Stage,
  clientName: string,
  extra: Record<string, unknown> = {},
): Promise<{ token: string; secret: string; apiKey: string }> {
  const created = await gw.admin(stage, 'POST', '/admin/clients', { clientName, ...extra });
  expect(created.status).toBe(201);
  const secret = created.body.clientSecret as string;
  const issued = await gw.call(stage, 'POST', '/authtoken', { body: { clientName, clientSecret: secret, sub: 'user-1' } });
  expect(issued.status).toBe(200);
  return { token: issued.body.token as string, secret, apiKey: created.body.apiKey as string };
}

const usageOf = (stage: Stage, clientName: string): Promise<CallResult> => gw.admin(stage, 'GET', `/admin/clients/${clientName}/usage`);
const verify = (stage: Stage, token: string): Promise<CallResult> => gw.call(stage, 'GET', '/v1/auth/verify', { token });

/** `callers` concurrent loops of `each` sequential calls; the statuses. */
async function concurrently(callers: number, each: number, call: (caller: number) => Promise<CallResult>): Promise<number[]> {
  const runs = await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      const mine: number[] = [];
      for (let i = 0; i < each; i++) mine.push((await call(c)).status);
      return mine;
    }),
  );
  return runs.flat();
}

describe('quota counting through the gateway', () => {
  it(
    'counts every authenticated request of 8 concurrent callers exactly once, and never passes the client quota',
    async () => {
      const { token } = await newClient('prod', 'count-one', { quota: { limit: 25, period: 'DAY' } });
      const statuses = await concurrently(8, 5, () => verify('prod', token));
      const ok = statuses.filter((s) => s === 200).length;
      const refused = statuses.filter((s) => s === 429).length;
      expect({ ok, refused, other: statuses.filter((s) => s !== 200 && s !== 429) }).toEqual({ ok: 25, refused: 15, other: [] });
      const usage = await usageOf('prod', 'count-one');
      expect(usage.body).toMatchObject({ used: 25, limit: 25, remaining: 0, period: 'DAY', tier: 'default', deployment: null });
      console.log(
        `8 concurrent callers, one client, quota 25: ${statuses.length} sent, ${ok} answered 200, ${refused} refused, used = ${String(usage.body.used)}`,
      );
    },
    SLOW,
  );

  it(
    'counts clients sharing the deployment quota exactly: the deployment never passes its limit, refused requests count nowhere',
    async () => {
      const clients = await Promise.all([0, 1, 2, 3].map((i) => newClient('sandbox', `share-${i}`)));
      const statuses = await concurrently(8, 4, (c) => verify('sandbox', (clients[c % 4] as { token: string }).token));
      const ok = statuses.filter((s) => s === 200).length;
      expect(ok).toBe(DEPLOYMENT_LIMIT);
      expect(statuses.filter((s) => s === 429)).toHaveLength(8 * 4 - DEPLOYMENT_LIMIT);
      const usages = await Promise.all([0, 1, 2, 3].map((i) => usageOf('sandbox', `share-${i}`)));
      const perClient = usages.map((u) => u.body.used as number);
      // The refused requests' client counts were taken back: the clients' uses add up to the deployment's.
      expect(perClient.reduce((a, b) => a + b, 0)).toBe(DEPLOYMENT_LIMIT);
      expect(usages[0]?.body.deployment).toMatchObject({ used: DEPLOYMENT_LIMIT, limit: DEPLOYMENT_LIMIT, remaining: 0, period: 'MONTH' });
      expect(usages[0]?.body).toMatchObject({ limit: null, remaining: null, period: 'MONTH' });
      console.log(
        `8 concurrent callers, 4 clients, deployment quota ${DEPLOYMENT_LIMIT}: ${statuses.length} sent, ${ok} answered 200, per client ${perClient.join('+')}`,
      );

      const over = await verify('sandbox', (clients[0] as { token: string }).token);
      expect(over.status).toBe(429);
      expect(over.body.error).toBe('quota_exceeded');
      expect(over.body.error_description).toMatch(/deployment's quota/);
      const resetsAt = Date.parse((usages[0]?.body.deployment as { resetsAt: string }).resetsAt);
      const retryAfter = Number(over.headers.get('retry-after'));
      // Seconds to the start of next month, not a fixed hour.
      expect(Math.abs(retryAfter - (resetsAt - Date.now()) / 1000)).toBeLessThan(5);
    },
    SLOW,
  );

  it('answers the N+1-th request 429 quota_exceeded with Retry-After to the period reset, and does not count it', async () => {
    const { token } = await newClient('prod', 'count-quota', { quota: { limit: 5, period: 'DAY' } });
    for (let i = 0; i < 5; i++) expect((await verify('prod', token)).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const over = await verify('prod', token);
      expect(over.status).toBe(429);
      expect(over.body).toEqual({ error: 'quota_exceeded', error_description: expect.stringContaining('quota of 5 requests per DAY') });
      const midnight = new Date();
      midnight.setUTCHours(24, 0, 0, 0);
      expect(Math.abs(Number(over.headers.get('retry-after')) - (midnight.getTime() - Date.now()) / 1000)).toBeLessThan(5);
    }
    const usage = await usageOf('prod', 'count-quota');
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(usage.body).toEqual({
      used: 5,
      limit: 5,
      period: 'DAY',
      remaining: 0,
      resetsAt: midnight.toISOString(),
      tier: 'default',
      deployment: null,
    });
  });

  it('counts no 401 of any origin: authorizer refusals, a missing sub on /graphql, a revoked token still in the authorizer cache', async () => {
    const { secret, token } = await newClient('prod', 'count-401');
    const results: number[] = [];
    const forged = signHs256(`${secret}x`, { clientName: 'count-401', sub: 'u' });
    for (let i = 0; i < 10; i++) results.push((await verify('prod', signHs256(`${secret}x`, { clientName: 'count-401', n: i }))).status);
    for (let i = 0; i < 10; i++) results.push((await verify('prod', forged)).status); // a cached Deny
    for (let i = 0; i < 5; i++) results.push((await gw.call('prod', 'GET', '/v1/auth/verify')).status);
    // A valid token without sub: the authorizer allows, /graphql's handler answers 401 missing_required_claim.
    const noSub = signHs256(secret, { clientName: 'count-401', iat: Math.floor(Date.now() / 1000) });
    for (let i = 0; i < 5; i++) {
      const res = await gw.call('prod', 'POST', '/graphql', {
        token: noSub,
        headers: { 'x-workoutkit-device': 'device-1' },
        body: { query: '{ __typename }' },
      });
      expect((res.body.errors as { extensions: { code: string } }[])[0]?.extensions.code).toBe('missing_required_claim');
      results.push(res.status);
    }
    // Allowed once (counted), then revoked: the authorizer cache still allows it, the handler's re-check says 401.
    expect((await verify('prod', token)).status).toBe(200);
    const revoked = await gw.admin('prod', 'POST', '/admin/revocations', { jti: claimsOf(token).jti });
    expect(revoked.status).toBe(201);
    for (let i = 0; i < 5; i++) {
      const res = await verify('prod', token);
      expect(res.body.error).toBe('token_revoked');
      results.push(res.status);
    }
    expect(new Set(results)).toEqual(new Set([401]));
    expect((await usageOf('prod', 'count-401')).body.used).toBe(1);
  });

  it('counts a 403 of an authenticated caller (as API Gateway meters it)', async () => {
    const { token } = await newClient('prod', 'count-403');
    const res = await gw.call('prod', 'GET', '/v1/settings', { token });
    expect(res.status).toBe(403);
    expect((await usageOf('prod', 'count-403')).body.used).toBe(1);
  });

  it('counts API-key reads of the catalog like token reads', async () => {
    const { apiKey, token } = await newClient('prod', 'count-key', { quota: { limit: 3, period: 'WEEK' } });
    expect((await gw.call('prod', 'GET', '/v1/count-key/catalog', { headers: { 'x-api-key': apiKey } })).status).toBe(200);
    expect((await gw.call('prod', 'GET', '/v1/count-key/catalog', { token })).status).toBe(200);
    expect((await gw.call('prod', 'GET', '/v1/count-key/catalog', { headers: { 'x-api-key': apiKey } })).status).toBe(200);
    const over = await gw.call('prod', 'GET', '/v1/count-key/catalog', { headers: { 'x-api-key': apiKey } });
    expect(over.status).toBe(429);
    expect(over.body.error).toBe('quota_exceeded');
    expect((await usageOf('prod', 'count-key')).body).toMatchObject({ used: 3, remaining: 0, period: 'WEEK' });
  });

  it("throttles by the client's tier with 429 rate_limited, uncounted, and recovers as the bucket refills", async () => {
    const { token } = await newClient('prod', 'tier-slow', { tier: 'slow' });
    expect((await verify('prod', token)).status).toBe(200);
    expect((await verify('prod', token)).status).toBe(200);
    const throttled = await verify('prod', token);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error).toBe('rate_limited');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    now += 1_000; // one token back at 1 request/s
    expect((await verify('prod', token)).status).toBe(200);
    expect((await verify('prod', token)).status).toBe(429);
    expect((await usageOf('prod', 'tier-slow')).body).toMatchObject({ used: 3, tier: 'slow' });
  });

  it('keeps the counts across a restart of the gateway', async () => {
    const { token } = await newClient('prod', 'count-restart', { quota: { limit: 3, period: 'WEEK' } });
    for (let i = 0; i < 3; i++) expect((await verify('prod', token)).status).toBe(200);
    await gw.gateway.close(); // the server goes; the data dir and tables stay
    const first = gw;
    gw = await startTestGateway({
      clock,
      dataDir: first.dataDir,
      tablePrefix: first.tablePrefix,
      quotaConfig: { sandbox: CONFIG, prod: PROD },
    });
    try {
      expect((await usageOf('prod', 'count-restart')).body).toMatchObject({ used: 3, remaining: 0, period: 'WEEK' });
      expect((await verify('prod', token)).status).toBe(429);
    } finally {
      await first.close();
    }
  });
});
