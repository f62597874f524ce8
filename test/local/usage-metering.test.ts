/**
 * Local usage plans through the local gateway, with the real functions, on DynamoDB Local:
 * only allowed requests are metered (fresh or cached Allows), counts are exact under
 * concurrency, quota and throttle refusals are 429s with Retry-After, counters survive a restart.
 */
import { signHs256 } from '../support/keys';
import { startTestGateway, type CallResult, type TestGateway } from '../support/local-gateway';

const DAY_QUOTA = { limit: 100_000, period: 'DAY', rateLimit: 10_000, burstLimit: 10_000 } as const;
let now = Date.now();
const clock = (): number => now;

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ clock, quotaDefaults: { sandbox: DAY_QUOTA, prod: DAY_QUOTA } });
});
afterAll(() => gw.close());

async function newClient(clientName: string, quota?: Record<string, unknown>): Promise<{ token: string; secret: string; apiKey: string }> {
  const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName, ...(quota ? { quota } : {}) });
  expect(created.status).toBe(201);
  const secret = created.body.clientSecret as string;
  const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName, clientSecret: secret } });
  expect(issued.status).toBe(200);
  return { token: issued.body.token as string, secret, apiKey: created.body.apiKey as string };
}

const usageOf = async (clientName: string): Promise<CallResult> => gw.admin('sandbox', 'GET', `/admin/clients/${clientName}/usage`);
const verify = (token: string): Promise<CallResult> => gw.call('sandbox', 'GET', '/v1/auth/verify', { token });

describe('local usage plans', () => {
  it('gives every new client a 256-bit API key, shown once and never in its settings', async () => {
    const { apiKey } = await newClient('meter-key');
    expect(apiKey).toMatch(/^[0-9a-f]{64}$/);
    const settings = await gw.admin('sandbox', 'GET', '/admin/clients/meter-key');
    expect(settings.text).not.toContain(apiKey);
    expect(settings.body.apiKey).toEqual({ createdAt: expect.any(String) });
  });

  it('leaves usage at 0 after 100 rejected requests (fresh and cached denials, missing tokens)', async () => {
    const { secret } = await newClient('meter-rejected');
    const forged = signHs256(`${secret}x`, { clientName: 'meter-rejected', sub: 'u' });
    const results: number[] = [];
    for (let i = 0; i < 40; i++) results.push((await verify(signHs256(`${secret}x`, { clientName: 'meter-rejected', n: i }))).status);
    for (let i = 0; i < 40; i++) results.push((await verify(forged)).status); // served from the authorizer cache
    for (let i = 0; i < 20; i++) results.push((await gw.call('sandbox', 'GET', '/v1/auth/verify')).status);
    expect(results).toHaveLength(100);
    expect(new Set(results)).toEqual(new Set([401]));

    const usage = await usageOf('meter-rejected');
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ used: 0, limit: DAY_QUOTA.limit, period: 'DAY', remaining: DAY_QUOTA.limit });
  });

  it('counts exactly N accepted requests from 8 concurrent callers, cache hits included', async () => {
    const { token } = await newClient('meter-concurrent');
    const perCaller = 15;
    const statuses = (
      await Promise.all(Array.from({ length: 8 }, async () => {
        const mine: number[] = [];
        for (let i = 0; i < perCaller; i++) mine.push((await verify(token)).status);
        return mine;
      }))
    ).flat();
    expect(statuses.filter((s) => s === 200)).toHaveLength(8 * perCaller);
    expect((await usageOf('meter-concurrent')).body.used).toBe(8 * perCaller);
  });

  it('never overshoots a quota under concurrency: exactly limit requests pass', async () => {
    const { token } = await newClient('meter-race', { limit: 20, period: 'MONTH' });
    const statuses = await Promise.all(Array.from({ length: 40 }, () => verify(token).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    expect((await usageOf('meter-race')).body).toMatchObject({ used: 20, remaining: 0, limit: 20, period: 'MONTH' });
  });

  it('answers the N+1-th request of a quota with 429 quota_exceeded and Retry-After', async () => {
    const { token } = await newClient('meter-quota', { limit: 5, period: 'DAY' });
    for (let i = 0; i < 5; i++) expect((await verify(token)).status).toBe(200);
    const over = await verify(token);
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ error: 'quota_exceeded', error_description: expect.any(String) });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);

    const usage = await usageOf('meter-quota');
    const nextMidnight = new Date(now);
    nextMidnight.setUTCHours(24, 0, 0, 0);
    expect(usage.body).toEqual({ used: 5, limit: 5, period: 'DAY', remaining: 0, resetsAt: nextMidnight.toISOString() });
  });

  it('throttles past the burst with 429 rate_limited and recovers once the bucket refills', async () => {
    const { token } = await newClient('meter-throttle', { limit: 1000, period: 'DAY', rateLimit: 1, burstLimit: 2 });
    expect((await verify(token)).status).toBe(200);
    expect((await verify(token)).status).toBe(200);
    const throttled = await verify(token);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error).toBe('rate_limited');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);

    now += 1_000; // one token back at 1 request/s
    expect((await verify(token)).status).toBe(200);
    expect((await verify(token)).status).toBe(429);
    now += 2_000; // the bucket is full again (burst 2)
    expect((await verify(token)).status).toBe(200);
    expect((await verify(token)).status).toBe(200);
    // Throttled requests are not counted against the quota.
    expect((await usageOf('meter-throttle')).body.used).toBe(5);
  });

  it('answers 404 for the usage of an unknown client', async () => {
    const res = await usageOf('no-such-client');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });

  it('keeps the counts across a restart of the gateway', async () => {
    const { token } = await newClient('meter-restart', { limit: 3, period: 'WEEK' });
    for (let i = 0; i < 3; i++) expect((await verify(token)).status).toBe(200);
    await gw.gateway.close(); // the server and its meters go; the data dir and tables stay
    const first = gw;
    gw = await startTestGateway({ clock, dataDir: first.dataDir, tablePrefix: first.tablePrefix, quotaDefaults: { sandbox: DAY_QUOTA } });
    try {
      expect((await usageOf('meter-restart')).body).toMatchObject({ used: 3, remaining: 0, period: 'WEEK' });
      expect((await verify(token)).status).toBe(429);
    } finally {
      await first.close();
    }
  });
});
