/**
 * Where a deployment's per-client metering lives, behind one interface:
 * - in AWS, API Gateway usage plans (lambdas/store/apigateway-usage.ts): API keys, one usage
 *   plan per client, usage from GetUsage;
 * - locally, the table's own counters (UsageCounterStore), which the local gateway's metering
 *   (local/usage-metering.ts) increments as API Gateway would.
 * The admin API's usage route and the quota monitor read through it; creating a client
 * registers its key through it.
 */
import { isoDay, periodEnd, periodStart, usageReport, type EffectiveQuota, type UsageReport } from '../core/quota';
import type { StoredApiKey } from './api-key-store';
import type { UsageCounterStore } from './usage-counter-store';

export interface ProvisionInput {
  clientName: string;
  /** The key value the authorizer will return as usageIdentifierKey. */
  apiKey: string;
  quota: EffectiveQuota;
}

export type ProvisionedKey = Pick<StoredApiKey, 'awsKeyId' | 'usagePlanId'>;

export interface UsageBackend {
  readonly kind: 'apigateway' | 'table';
  /** Makes a new client's key meterable (AWS: CreateApiKey + CreateUsagePlan + CreateUsagePlanKey). */
  provision(input: ProvisionInput): Promise<ProvisionedKey>;
  /** Best-effort undo of provision, when creating the client failed afterwards. */
  deprovision(provisioned: ProvisionedKey): Promise<void>;
  /** The client's usage in the current period. */
  usage(clientName: string, key: StoredApiKey | undefined, quota: EffectiveQuota, nowMs: number): Promise<UsageReport>;
}

/** Local mode: nothing to register (the local meter finds a client by its key's digest). */
export class TableUsageBackend implements UsageBackend {
  readonly kind = 'table';

  constructor(private readonly counters: UsageCounterStore) {}

  async provision(): Promise<ProvisionedKey> {
    return {};
  }

  async deprovision(): Promise<void> {}

  async usage(clientName: string, _key: StoredApiKey | undefined, quota: EffectiveQuota, nowMs: number): Promise<UsageReport> {
    const used = await this.counters.used(clientName, isoDay(periodStart(quota.period, nowMs)));
    return usageReport(quota, used, nowMs);
  }
}

/** The counter key and reset time of the period containing `nowMs`. */
export function currentPeriod(quota: EffectiveQuota, nowMs: number): { startDay: string; endMs: number } {
  return { startDay: isoDay(periodStart(quota.period, nowMs)), endMs: periodEnd(quota.period, nowMs) };
}
