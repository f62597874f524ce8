/**
 * Quota counting on the handler path, the same code in AWS and in the local gateway: every
 * request that passed authentication (the authorizer's Allow and the handler's own re-checks)
 * is counted exactly once against the client's quota and the deployment's, before the
 * operation runs; a request either quota refuses is answered 429 quota_exceeded with
 * Retry-After (seconds to the period's reset) and is not counted. Throttling is API Gateway's
 * (the client's tier usage plan); this only counts.
 *
 * Latency: the client's record comes from the cached client directory, read while the caller's
 * revocation state is being checked, so counting adds one DynamoDB round trip (the counters'
 * conditional writes, sent in parallel).
 */
import { InvalidTokenError, QuotaExceededError } from '../core/errors';
import type { QuotaPeriod } from '../core/client-settings';
import {
  DEFAULT_TIER,
  usageReport,
  type UsageReport,
  clientCounterShards,
  deploymentCounterShards,
  periodEnd,
  secondsUntilReset,
  type QuotaState,
  type QuotaWindow,
  type StageQuotaConfig,
} from '../core/quota';
import type { ClientRecord } from '../store/client-store';
import type { CounterScope, CounterSpec, UsageCounterStore } from '../store/usage-counter-store';

/** Counts one request of `clientName` once `authenticated` has resolved; rejects (uncounted) if it rejects. */
export type AdmitRequest = (clientName: string, authenticated: Promise<void>) => Promise<QuotaState>;

export interface QuotaMeterDeps {
  clientDirectory: { record(clientName: string): Promise<ClientRecord | undefined> };
  usageCounters: UsageCounterStore;
  quotaConfig: StageQuotaConfig;
  clock: () => number;
}

/**
 * The period a client's requests are counted in: its quota's, else the deployment quota's, else
 * MONTH. A client without a quota of its own is still counted (its usage is readable), without a limit.
 */
export function clientPeriod(config: StageQuotaConfig, record: Pick<ClientRecord, 'quota'>): QuotaPeriod {
  return record.quota?.period ?? config.deployment?.period ?? 'MONTH';
}

/** The counters a request of this client is counted on: the client's, and the deployment's if it has a quota. */
export function counterSpecs(config: StageQuotaConfig, record: Pick<ClientRecord, 'clientName' | 'quota' | 'createdAt'>): CounterSpec[] {
  const specs: CounterSpec[] = [
    {
      scope: { kind: 'client', clientName: record.clientName },
      quota: record.quota ?? { period: clientPeriod(config, record) },
      shards: clientCounterShards(config),
      generation: record.createdAt,
    },
  ];
  if (config.deployment) specs.push({ scope: { kind: 'deployment' }, quota: config.deployment, shards: deploymentCounterShards(config) });
  return specs;
}

export function quotaMeter(deps: QuotaMeterDeps): AdmitRequest {
  return async (clientName, authenticated) => {
    const reading = deps.clientDirectory.record(clientName);
    reading.catch(() => undefined); // a 401 from `authenticated` wins over a failed read
    await authenticated;
    const record = await reading;
    if (!record) throw new InvalidTokenError('The client no longer exists');
    if (record.disabled) throw new InvalidTokenError('The client is disabled');
    const specs = counterSpecs(deps.quotaConfig, record);
    const now = deps.clock();
    const result = await deps.usageCounters.consume(specs, now);
    if (!result.ok) {
      const { scope, quota } = result.exceeded;
      const whose = scope.kind === 'client' ? "The client's" : "The deployment's";
      throw new QuotaExceededError(
        `${whose} quota of ${quota.limit} requests per ${quota.period} is used up; it resets at ${new Date(periodEnd(quota.period, now)).toISOString()}`,
        { retryAfter: secondsUntilReset(quota.period, now) },
      );
    }
    const state: { client?: QuotaWindow; deployment?: QuotaWindow } = {};
    for (const c of result.counted) {
      const { limit, period } = c.spec.quota;
      if (limit !== undefined)
        state[c.spec.scope.kind] = { limit, period, remaining: Math.max(0, limit - c.used), resetsAtMs: periodEnd(period, now) };
    }
    return state;
  };
}

/** The contract's usage answer: the client's and the deployment's use from the counters. */
export interface UsageAnswer extends UsageReport {
  tier: string;
  deployment: UsageReport | null;
}

/** Reads both counters in one consistent BatchGetItem. */
export async function readUsage(
  deps: { usageCounters: UsageCounterStore; quotaConfig: StageQuotaConfig; clock: () => number },
  record: Pick<ClientRecord, 'clientName' | 'quota' | 'tier' | 'createdAt'>,
): Promise<UsageAnswer> {
  const now = deps.clock();
  const config = deps.quotaConfig;
  const period = clientPeriod(config, record);
  const scopes: { scope: CounterScope; period: QuotaPeriod; shards: number }[] = [
    { scope: { kind: 'client', clientName: record.clientName }, period, shards: clientCounterShards(config) },
  ];
  if (config.deployment)
    scopes.push({ scope: { kind: 'deployment' }, period: config.deployment.period, shards: deploymentCounterShards(config) });
  const [clientUsed = 0, deploymentUsed = 0] = await deps.usageCounters.used(scopes, now);
  const client = usageReport(record.quota, clientUsed, now);
  return {
    ...client,
    period,
    resetsAt: client.resetsAt ?? new Date(periodEnd(period, now)).toISOString(),
    tier: record.tier ?? DEFAULT_TIER,
    deployment: config.deployment ? usageReport(config.deployment, deploymentUsed, now) : null,
  };
}
