/**
 * The quota a metered answer was counted against, in the IETF RateLimit fields
 * (draft-ietf-httpapi-ratelimit-headers-10,
 * https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/): one quota policy per
 * quota that applies, `"client"` (the client's own) and `"deployment"` (the tenant's stage quota,
 * shared by its clients):
 *
 *   RateLimit-Policy: "client";q=10000;w=86400, "deployment";q=1000000;w=2592000
 *   RateLimit: "client";r=9998;t=3600, "deployment";r=912345;t=1213200
 *
 * q = the quota, w = the period in seconds (a calendar month's length for MONTH), r = requests
 * left, t = seconds until the period resets (UTC). Absent quotas are left out; no quota, no fields.
 */
export type RateLimitPeriod = 'DAY' | 'WEEK' | 'MONTH';

export interface RateLimitWindow {
  readonly limit: number;
  readonly period: RateLimitPeriod;
  readonly remaining: number;
  /** Epoch ms: the start of the next period. */
  readonly resetsAtMs: number;
}

export interface RateLimitState {
  readonly client?: RateLimitWindow | undefined;
  readonly deployment?: RateLimitWindow | undefined;
}

export const RATELIMIT_HEADER = 'RateLimit';
export const RATELIMIT_POLICY_HEADER = 'RateLimit-Policy';

/** The period's length in seconds, from the instant it ends (months differ in length). */
function windowSeconds(w: RateLimitWindow): number {
  if (w.period === 'DAY') return 86_400;
  if (w.period === 'WEEK') return 7 * 86_400;
  const end = new Date(w.resetsAtMs);
  const start = Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, 1);
  return Math.round((w.resetsAtMs - start) / 1000);
}

export function rateLimitHeaders(state: RateLimitState | undefined, nowMs: number): Record<string, string> {
  const windows = (['client', 'deployment'] as const).flatMap((name) => {
    const w = state?.[name];
    return w ? [{ name, w }] : [];
  });
  if (windows.length === 0) return {};
  const policy = windows.map(({ name, w }) => `"${name}";q=${Math.max(0, Math.floor(w.limit))};w=${windowSeconds(w)}`);
  const now = windows.map(
    ({ name, w }) => `"${name}";r=${Math.max(0, Math.floor(w.remaining))};t=${Math.max(0, Math.ceil((w.resetsAtMs - nowMs) / 1000))}`,
  );
  return { [RATELIMIT_POLICY_HEADER]: policy.join(', '), [RATELIMIT_HEADER]: now.join(', ') };
}
