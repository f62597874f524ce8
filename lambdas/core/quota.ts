/**
 * Quota arithmetic shared by the handlers' counting (lambdas/runtime/quota-meter.ts), the usage
 * routes, the quota monitor and the local gateway's throttle: a stage's quota configuration
 * (deployment quota, throttle tiers), UTC period boundaries, how a counter is sharded and its
 * limit split over the shards, and a token bucket. No I/O.
 *
 * Periods are DAY, WEEK or MONTH in UTC, as API Gateway's QuotaSettings names them (with offset
 * 0 a WEEK starts on Sunday); boundaries are UTC midnight.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html
 */
import { QUOTA_PERIODS, type QuotaPeriod, type QuotaSettings } from './client-settings';

/** A throttle tier: API Gateway's rate (steady requests per second) and burst (bucket size). */
export interface TierLimits {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export const DEFAULT_TIER = 'default';
export const TIER_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** What one stage counts and throttles with (the tenant config's stage entry; QUOTA_CONFIG). */
export interface StageQuotaConfig {
  /** The tenant's contract quota for the stage, shared by all its clients; absent: none. */
  readonly deployment?: QuotaSettings;
  /** Every tier of the stage; `default` always exists. */
  readonly tiers: Readonly<Record<string, TierLimits>>;
  /**
   * The stage-wide method throttle (requests per second), which bounds the write rate on the
   * deployment's counter; absent: the account's regional throttle, ACCOUNT_THROTTLE_RPS.
   */
  readonly stageRateLimit?: number;
}

/**
 * API Gateway's default account-level throttle per region (10,000 requests per second; 2,500 in
 * some newer regions): the most a stage without its own throttle can be sent.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */
export const ACCOUNT_THROTTLE_RPS = 10_000;

/**
 * Writes per second one counter item is allowed to take. A DynamoDB partition serves at most
 * 1,000 write units per second, so a counter that every request of a busy client (or of the
 * whole deployment) increments is spread over shards with at most half that each.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-sharding.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
 */
export const MAX_WRITES_PER_ITEM = 500;

/** Used when a deployment sets no QUOTA_CONFIG (a bare local run): no deployment quota, one tier. */
export const FALLBACK_QUOTA_CONFIG: StageQuotaConfig = { tiers: { [DEFAULT_TIER]: { rateLimit: 50, burstLimit: 100 } } };

const positive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads QUOTA_CONFIG (JSON, written by lib/ from the tenant config); throws on anything malformed. */
export function parseStageQuotaConfig(json: string): StageQuotaConfig {
  const v = JSON.parse(json) as unknown;
  const bad = (what: string): never => {
    throw new Error(`QUOTA_CONFIG: ${what}`);
  };
  if (!isObject(v) || !isObject(v.tiers)) return bad('must be {"tiers": {...}, "deployment"?, "stageRateLimit"?}');
  const tiers: Record<string, TierLimits> = Object.create(null) as Record<string, TierLimits>;
  for (const [name, t] of Object.entries(v.tiers)) {
    if (!TIER_NAME_PATTERN.test(name) || !isObject(t) || !positive(t.rateLimit) || !positive(t.burstLimit))
      bad(`tier ${name} is malformed`);
    tiers[name] = { rateLimit: (t as { rateLimit: number }).rateLimit, burstLimit: (t as { burstLimit: number }).burstLimit };
  }
  if (!tiers[DEFAULT_TIER]) bad('the default tier is missing');
  const config: { -readonly [K in keyof StageQuotaConfig]: StageQuotaConfig[K] } = { tiers };
  if (v.deployment !== undefined && v.deployment !== null) {
    const d = v.deployment;
    if (
      !isObject(d) ||
      !positive(d.limit) ||
      !Number.isInteger(d.limit) ||
      typeof d.period !== 'string' ||
      !(QUOTA_PERIODS as readonly string[]).includes(d.period)
    ) {
      bad('deployment must be {"limit", "period"}');
    }
    config.deployment = { limit: (d as { limit: number }).limit, period: (d as { period: QuotaPeriod }).period };
  }
  if (v.stageRateLimit !== undefined && v.stageRateLimit !== null) {
    if (!positive(v.stageRateLimit)) bad('stageRateLimit must be a positive number');
    config.stageRateLimit = v.stageRateLimit as number;
  }
  return config;
}

/** The tier a client names (absent: `default`); undefined for a tier the stage does not have. */
export function tierOf(config: StageQuotaConfig, tier: string | undefined): TierLimits | undefined {
  const name = tier ?? DEFAULT_TIER;
  return Object.prototype.hasOwnProperty.call(config.tiers, name) ? config.tiers[name] : undefined;
}

/**
 * Shards for a counter that takes up to `ratePerSecond` writes: each gets at most
 * MAX_WRITES_PER_ITEM. No counter can be sent more than the account's regional throttle, so a
 * tier configured above it gets the account's shard count (20): a usage read of a client and its
 * deployment then stays within one BatchGetItem (at most 100 keys).
 */
export function shardsFor(ratePerSecond: number): number {
  return Math.max(1, Math.ceil(Math.min(ratePerSecond, ACCOUNT_THROTTLE_RPS) / MAX_WRITES_PER_ITEM));
}

/**
 * Shards of every client counter of the stage: sized for the fastest tier, so a tier change
 * never changes a client's shard count (and with it the split of its limit) mid-period.
 */
export function clientCounterShards(config: StageQuotaConfig): number {
  return shardsFor(Math.max(...Object.values(config.tiers).map((t) => t.rateLimit)));
}

/** Shards of the deployment counter: sized for the most the stage lets through. */
export function deploymentCounterShards(config: StageQuotaConfig): number {
  return shardsFor(config.stageRateLimit ?? ACCOUNT_THROTTLE_RPS);
}

/**
 * A limit split over `shards` counter items: the parts add up to exactly `limit`, so shards that
 * each refuse at their part never let more than `limit` through in all. Never more shards than
 * the limit (a shard with part 0 would only cost a wasted write).
 */
export function splitLimit(limit: number, shards: number): number[] {
  const n = Math.max(1, Math.min(shards, limit));
  const base = Math.floor(limit / n);
  const extra = limit % n;
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
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

/** `DAY#2026-11-23`: names one period of one kind (a DAY and a MONTH starting the same day differ). */
export function periodKey(period: QuotaPeriod, nowMs: number): string {
  return `${period}#${new Date(periodStart(period, nowMs)).toISOString().slice(0, 10)}`;
}

/** Whole seconds until the period resets (Retry-After of quota_exceeded), at least 1. */
export function secondsUntilReset(period: QuotaPeriod, nowMs: number): number {
  return Math.max(1, Math.ceil((periodEnd(period, nowMs) - nowMs) / 1000));
}

/** One quota's state after a request was counted: what RateLimit-style headers report. */
export interface QuotaWindow {
  readonly limit: number;
  readonly period: QuotaPeriod;
  /** Requests left in the period (estimated from one shard when the counter is sharded). */
  readonly remaining: number;
  /** Epoch ms: the start of the next period. */
  readonly resetsAtMs: number;
}

/** Both quotas of a counted request; a quota that is not set is absent. */
export interface QuotaState {
  readonly client?: QuotaWindow;
  readonly deployment?: QuotaWindow;
}

/** The contract's usage answer for one quota (client or deployment). */
export interface UsageReport {
  used: number;
  limit: number | null;
  period: QuotaPeriod | null;
  remaining: number | null;
  /** ISO 8601 UTC: the start of the next period; null without a quota. */
  resetsAt: string | null;
}

export function usageReport(quota: QuotaSettings | undefined, used: number, nowMs: number): UsageReport {
  if (!quota) return { used, limit: null, period: null, remaining: null, resetsAt: null };
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

  /** Same limits as these? (A changed tier gets a fresh bucket.) */
  matches(ratePerSecond: number, burst: number): boolean {
    return this.ratePerSecond === ratePerSecond && this.burst === burst;
  }
}
