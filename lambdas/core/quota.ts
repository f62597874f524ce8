/**
 * Quota arithmetic shared by the local gateway's metering, the usage route and the quota
 * monitor: a client's effective limits, UTC period boundaries and a token bucket. No I/O.
 *
 * Periods follow API Gateway usage plans (QuotaSettings: DAY, WEEK or MONTH; with offset 0 a
 * WEEK starts on Sunday). Boundaries are UTC midnight.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html
 * https://docs.aws.amazon.com/sdk-for-ruby/v3/api/Aws/APIGateway/Types/QuotaSettings.html
 */
import { QUOTA_PERIODS, type QuotaPeriod, type QuotaSettings } from './client-settings';

/** Every limit resolved: what a usage plan (AWS) or the local meter enforces for one client. */
export interface EffectiveQuota {
  readonly limit: number;
  readonly period: QuotaPeriod;
  /** Steady requests per second. */
  readonly rateLimit: number;
  /** Bucket size: requests allowed at once after a quiet spell. */
  readonly burstLimit: number;
}

/** The client's own `quota` wins field by field; the stage's tenant config fills the rest. */
export function effectiveQuota(client: QuotaSettings | undefined, defaults: EffectiveQuota): EffectiveQuota {
  if (!client) return defaults;
  return {
    limit: client.limit,
    period: client.period,
    rateLimit: client.rateLimit ?? defaults.rateLimit,
    burstLimit: client.burstLimit ?? defaults.burstLimit,
  };
}

/** Reads the DEFAULT_QUOTA variable lib/ sets (JSON); throws on anything malformed. */
export function parseEffectiveQuota(json: string): EffectiveQuota {
  const v = JSON.parse(json) as Record<string, unknown>;
  const positive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;
  if (!positive(v.limit) || !positive(v.rateLimit) || !positive(v.burstLimit) ||
    typeof v.period !== 'string' || !(QUOTA_PERIODS as readonly string[]).includes(v.period)) {
    throw new Error('DEFAULT_QUOTA must be {"limit","period","rateLimit","burstLimit"}');
  }
  return { limit: v.limit, period: v.period as QuotaPeriod, rateLimit: v.rateLimit, burstLimit: v.burstLimit };
}

const DAY_MS = 86_400_000;

/** Start (epoch ms, UTC) of the period that contains `nowMs`. */
export function periodStart(period: QuotaPeriod, nowMs: number): number {
  const d = new Date(nowMs);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  switch (period) {
    case 'DAY':
      return midnight;
    case 'WEEK':
      return midnight - d.getUTCDay() * DAY_MS; // getUTCDay: 0 = Sunday
    case 'MONTH':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
}

/** Start of the next period: when the quota resets. */
export function periodEnd(period: QuotaPeriod, nowMs: number): number {
  const start = periodStart(period, nowMs);
  switch (period) {
    case 'DAY':
      return start + DAY_MS;
    case 'WEEK':
      return start + 7 * DAY_MS;
    case 'MONTH': {
      const d = new Date(start);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
  }
}

/** `2026-11-23` (UTC): the key suffix of a usage counter and GetUsage's date format. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export interface UsageReport {
  used: number;
  limit: number;
  period: QuotaPeriod;
  remaining: number;
  /** ISO 8601 UTC: the start of the next period. */
  resetsAt: string;
}

export function usageReport(quota: EffectiveQuota, used: number, nowMs: number): UsageReport {
  return {
    used,
    limit: quota.limit,
    period: quota.period,
    remaining: Math.max(0, quota.limit - used),
    resetsAt: new Date(periodEnd(quota.period, nowMs)).toISOString(),
  };
}

/**
 * A token bucket: `burst` tokens at most, refilled at `ratePerSecond`. API Gateway throttles
 * usage plan keys with the same model (rate = steady state, burst = bucket size).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.updatedAt = nowMs;
  }

  /** Takes one token; when none is left, how many seconds until one is back. */
  take(nowMs: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const elapsed = Math.max(0, nowMs - this.updatedAt) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerSecond);
    this.updatedAt = Math.max(this.updatedAt, nowMs);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerSecond)) };
  }

  /** Same limits as these? (A changed client quota gets a fresh bucket.) */
  matches(ratePerSecond: number, burst: number): boolean {
    return this.ratePerSecond === ratePerSecond && this.burst === burst;
  }
}

/** Used when a deployment sets no DEFAULT_QUOTA (a bare local run); lib/ always sets it. */
export const FALLBACK_DEFAULT_QUOTA: EffectiveQuota = { limit: 10_000, period: 'DAY', rateLimit: 50, burstLimit: 100 };
