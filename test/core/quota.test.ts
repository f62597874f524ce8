import {
  clientCounterShards,
  deploymentCounterShards,
  parseStageQuotaConfig,
  periodEnd,
  periodKey,
  periodStart,
  secondsUntilReset,
  splitLimit,
  tierOf,
  TokenBucket,
  usageReport,
} from '../../lambdas/core/quota';

const dayQuota = { limit: 1000, period: 'DAY' } as const;
// Wednesday 2026-11-25 15:30 UTC
const wed = Date.UTC(2026, 10, 25, 15, 30);

describe('quota periods (UTC, as API Gateway usage plans)', () => {
  it('starts a DAY at UTC midnight and ends at the next one', () => {
    expect(new Date(periodStart('DAY', wed)).toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(new Date(periodEnd('DAY', wed)).toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });

  it('starts a WEEK on Sunday (usage plan offset 0)', () => {
    expect(new Date(periodStart('WEEK', wed)).toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(new Date(periodEnd('WEEK', wed)).toISOString()).toBe('2026-11-29T00:00:00.000Z');
    const sunday = Date.UTC(2026, 10, 22);
    expect(periodStart('WEEK', sunday)).toBe(sunday);
  });

  it('starts a MONTH on the 1st and ends on the next 1st, across a year end', () => {
    expect(new Date(periodStart('MONTH', wed)).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(new Date(periodEnd('MONTH', Date.UTC(2026, 11, 31, 23))).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('reports remaining and the reset time, never a negative remainder', () => {
    expect(usageReport(dayQuota, 1200, wed)).toEqual({
      used: 1200,
      limit: 1000,
      period: 'DAY',
      remaining: 0,
      resetsAt: '2026-11-26T00:00:00.000Z',
    });
    expect(usageReport(undefined, 7, wed)).toEqual({ used: 7, limit: null, period: null, remaining: null, resetsAt: null });
  });

  it('gives Retry-After as the whole seconds to the reset, at least 1', () => {
    expect(secondsUntilReset('DAY', wed)).toBe(8.5 * 3600);
    expect(secondsUntilReset('MONTH', Date.UTC(2026, 11, 1))).toBe(31 * 86_400);
    expect(secondsUntilReset('DAY', Date.UTC(2026, 10, 25, 23, 59, 59, 999))).toBe(1);
  });

  it('names a period by kind and start, so a DAY and a MONTH starting on the 1st never share a counter', () => {
    const first = Date.UTC(2026, 11, 1, 9);
    expect(periodKey('DAY', first)).toBe('DAY#2026-12-01');
    expect(periodKey('MONTH', first)).toBe('MONTH#2026-12-01');
  });
});

describe('counter shards', () => {
  const config = { tiers: { default: { rateLimit: 50, burstLimit: 100 }, premium: { rateLimit: 1200, burstLimit: 2000 } } };

  it('sizes client counters for the fastest tier and the deployment counter for the stage throttle (at most 500 writes/s an item)', () => {
    expect(clientCounterShards(config)).toBe(3);
    expect(clientCounterShards({ tiers: { default: { rateLimit: 500, burstLimit: 1000 } } })).toBe(1);
    expect(deploymentCounterShards({ ...config, stageRateLimit: 400 })).toBe(1);
    expect(deploymentCounterShards(config)).toBe(20); // no stage throttle: the account's 10,000 requests/s
  });

  it('never sizes a counter beyond the account throttle, so a client and its deployment fit one BatchGetItem', () => {
    const fast = { tiers: { default: { rateLimit: 100_000, burstLimit: 100_000 } }, stageRateLimit: 50_000 };
    expect(clientCounterShards(fast)).toBe(20);
    expect(deploymentCounterShards(fast)).toBe(20);
  });

  it('splits a limit into parts that add up to it exactly, never into more parts than the limit', () => {
    expect(splitLimit(10, 3)).toEqual([4, 3, 3]);
    expect(splitLimit(2, 20)).toEqual([1, 1]);
    expect(splitLimit(1_000_000, 1)).toEqual([1_000_000]);
    for (const [limit, shards] of [
      [7, 4],
      [999, 20],
      [1, 1],
    ] as const)
      expect(splitLimit(limit, shards).reduce((a, b) => a + b, 0)).toBe(limit);
  });
});

describe('stage quota config (QUOTA_CONFIG)', () => {
  it('reads tiers, the deployment quota and the stage throttle, and finds tiers by name only', () => {
    const config = parseStageQuotaConfig(
      JSON.stringify({
        tiers: { default: { rateLimit: 5, burstLimit: 10 } },
        deployment: { limit: 9, period: 'WEEK' },
        stageRateLimit: 50,
      }),
    );
    expect(config).toEqual({
      tiers: { default: { rateLimit: 5, burstLimit: 10 } },
      deployment: { limit: 9, period: 'WEEK' },
      stageRateLimit: 50,
    });
    expect(tierOf(config, undefined)).toEqual({ rateLimit: 5, burstLimit: 10 });
    expect(tierOf(config, 'toString')).toBeUndefined();
  });

  it('rejects a config without the default tier or with a malformed quota', () => {
    expect(() => parseStageQuotaConfig('{"tiers":{"premium":{"rateLimit":1,"burstLimit":1}}}')).toThrow(/default tier/);
    expect(() =>
      parseStageQuotaConfig('{"tiers":{"default":{"rateLimit":1,"burstLimit":1}},"deployment":{"limit":5,"period":"YEAR"}}'),
    ).toThrow(/deployment/);
  });
});

describe('token bucket', () => {
  it('allows a burst, then refuses with the seconds until a token is back, then refills at the rate', () => {
    const b = new TokenBucket(2, 3, 0);
    expect([b.take(0).ok, b.take(0).ok, b.take(0).ok]).toEqual([true, true, true]);
    expect(b.take(0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(b.take(499).ok).toBe(false);
    expect(b.take(500).ok).toBe(true); // 2 tokens/s: one back after 500 ms
    expect(b.take(10_000).ok).toBe(true);
    expect([b.take(10_000).ok, b.take(10_000).ok, b.take(10_000).ok]).toEqual([true, true, false]); // capped at the burst
  });
});
