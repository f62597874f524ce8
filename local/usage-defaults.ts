/**
 * Each local stage's quota configuration (deployment quota and throttle tiers): the tenant's
 * stage entry in tenants.json when the local tenant is declared there (so `WK_TENANT=acme
 * npm start` counts and throttles like Acme's stacks), else FALLBACK_QUOTA_CONFIG. Options
 * override both (tests use small numbers).
 */
import { FALLBACK_QUOTA_CONFIG, type StageQuotaConfig } from '../lambdas/core/quota';
import { STAGES, type StageName } from '../lambdas/gateway/settings';
import { loadTenants, stageQuotaConfig } from '../lib/tenant-config';

export function localQuotaConfig(
  tenant: string,
  overrides: Partial<Record<StageName, StageQuotaConfig>> = {},
): Record<StageName, StageQuotaConfig> {
  let declared: Partial<Record<StageName, StageQuotaConfig>> = {};
  try {
    const t = loadTenants().find((x) => x.name === tenant);
    if (t) declared = { sandbox: stageQuotaConfig(t.stages.sandbox), prod: stageQuotaConfig(t.stages.prod) };
  } catch {
    // An unreadable tenants.json must not stop a local run; the fallback applies.
  }
  const out = {} as Record<StageName, StageQuotaConfig>;
  for (const stage of STAGES) out[stage] = overrides[stage] ?? declared[stage] ?? FALLBACK_QUOTA_CONFIG;
  return out;
}
