/**
 * Per-client quota defaults for each local stage: the tenant's stage quota from tenants.json
 * when the local tenant is declared there (so `WK_TENANT=acme npm start` meters like
 * Acme's stacks), else FALLBACK_DEFAULT_QUOTA. Options override both (tests use small numbers).
 */
import { FALLBACK_DEFAULT_QUOTA, type EffectiveQuota } from '../lambdas/core/quota';
import { STAGES, type StageName } from '../lambdas/gateway/settings';
import { loadTenants } from '../lib/tenant-config';

export function localQuotaDefaults(
  tenant: string,
  overrides: Partial<Record<StageName, EffectiveQuota>> = {},
): Record<StageName, EffectiveQuota> {
  let declared: Partial<Record<StageName, EffectiveQuota>> = {};
  try {
    const t = loadTenants().find((x) => x.name === tenant);
    if (t) declared = { sandbox: t.stages.sandbox.quota, prod: t.stages.prod.quota };
  } catch {
    // An unreadable tenants.json must not stop a local run; the fallback applies.
  }
  const out = {} as Record<StageName, EffectiveQuota>;
  for (const stage of STAGES) out[stage] = overrides[stage] ?? declared[stage] ?? FALLBACK_DEFAULT_QUOTA;
  return out;
}
