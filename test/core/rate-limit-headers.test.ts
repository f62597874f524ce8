/** The IETF RateLimit fields of a metered answer, from the quotas it was counted against. */
import { rateLimitHeaders } from '../../lambdas/core/rate-limit-headers';

const NOW = Date.UTC(2026, 11, 1, 21, 0, 0); // 2026-12-01T21:00:00Z

describe('rateLimitHeaders', () => {
  test('names each quota that applies with its size, window, requests left and seconds to reset', () => {
    const headers = rateLimitHeaders(
      {
        client: { limit: 10_000, period: 'DAY', remaining: 9_998, resetsAtMs: Date.UTC(2026, 11, 2) },
        deployment: { limit: 1_000_000, period: 'MONTH', remaining: 912_345, resetsAtMs: Date.UTC(2027, 0, 1) },
      },
      NOW,
    );
    expect(headers).toEqual({
      // December has 31 days: w = 31 × 86400.
      'RateLimit-Policy': '"client";q=10000;w=86400, "deployment";q=1000000;w=2678400',
      // 3 h to midnight; 30 days and 3 h to 2027-01-01.
      RateLimit: '"client";r=9998;t=10800, "deployment";r=912345;t=2602800',
    });
  });

  test('a week is 7 days and February 2027 has 28', () => {
    expect(
      rateLimitHeaders({ client: { limit: 5, period: 'WEEK', remaining: 1, resetsAtMs: Date.UTC(2026, 11, 7) } }, NOW)['RateLimit-Policy'],
    ).toBe('"client";q=5;w=604800');
    expect(
      rateLimitHeaders({ client: { limit: 5, period: 'MONTH', remaining: 1, resetsAtMs: Date.UTC(2027, 2, 1) } }, NOW)['RateLimit-Policy'],
    ).toBe(`"client";q=5;w=${28 * 86_400}`);
  });

  test('never reports negative requests left or time to reset (a burst may overshoot)', () => {
    const h = rateLimitHeaders({ client: { limit: 10, period: 'DAY', remaining: -3, resetsAtMs: NOW - 1 } }, NOW);
    expect(h.RateLimit).toBe('"client";r=0;t=0');
  });

  test('leaves out a quota that is not set, and sends nothing without quotas', () => {
    expect(rateLimitHeaders({ deployment: { limit: 7, period: 'DAY', remaining: 6, resetsAtMs: Date.UTC(2026, 11, 2) } }, NOW)).toEqual({
      'RateLimit-Policy': '"deployment";q=7;w=86400',
      RateLimit: '"deployment";r=6;t=10800',
    });
    expect(rateLimitHeaders({}, NOW)).toEqual({});
    expect(rateLimitHeaders(undefined, NOW)).toEqual({});
  });
});
