import { effectiveQuota, parseEffectiveQuota, periodEnd, periodStart, TokenBucket, usageReport } from '../../lambdas/core/quota';

const defaults = { limit: 1000, period: 'DAY', rateLimit: 10, burstLimit: 20 } as const;
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
    expect(usageReport(defaults, 1200, wed)).toEqual({ used: 1200, limit: 1000, period: 'DAY', remaining: 0, resetsAt: '2026-11-26T00:00:00.000Z' });
  });
});

describe('effective quota', () => {
  it("takes the client's quota and fills missing throttle fields from the tenant defaults", () => {
    expect(effectiveQuota({ limit: 5, period: 'WEEK' }, defaults)).toEqual({ limit: 5, period: 'WEEK', rateLimit: 10, burstLimit: 20 });
    expect(effectiveQuota(undefined, defaults)).toBe(defaults);
  });

  it('rejects a malformed DEFAULT_QUOTA', () => {
    expect(parseEffectiveQuota(JSON.stringify(defaults))).toEqual(defaults);
    expect(() => parseEffectiveQuota('{"limit":5,"period":"YEAR","rateLimit":1,"burstLimit":1}')).toThrow(/DEFAULT_QUOTA/);
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
