/**
 * Scheduled (EventBridge, SCHEDULED_FUNCTIONS): usage-plan usage is no CloudWatch metric
 * (AWS/ApiGateway has no API key dimension), so every few minutes this reads each client's
 * usage through the UsageBackend (GetUsage in AWS) and publishes used / limit / remaining /
 * utilization per client, plus the stage's highest utilization for the 80 % alarm.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
 */
import { effectiveQuota } from '../core/quota';
import { depsFor, type Deps } from '../runtime/deps';
import type { RuntimeEnv } from '../runtime/env';
import { lambdaEntry } from '../runtime/entry';
import { logger } from '../runtime/logger';
import { utilization } from '../runtime/metrics';
import { usageBackendFor } from '../runtime/usage';
import { scanClients } from '../store/client-scan';
import type { UsageBackend } from '../store/usage-backend';

export interface QuotaSweep {
  clients: number;
  failed: number;
  maxUtilization: number;
}

export type QuotaMonitor = () => Promise<QuotaSweep>;

export function createQuotaMonitor(
  deps: Pick<Deps, 'env' | 'doc' | 'clock' | 'defaultQuota' | 'metrics'>,
  usage: UsageBackend,
): QuotaMonitor {
  return async () => {
    const sweep: QuotaSweep = { clients: 0, failed: 0, maxUtilization: 0 };
    const now = deps.clock();
    for await (const record of scanClients(deps.doc, deps.env.TABLE_NAME)) {
      sweep.clients++;
      try {
        const report = await usage.usage(record.clientName, record.apiKey, effectiveQuota(record.quota, deps.defaultQuota), now);
        deps.metrics.quota(record.clientName, report);
        sweep.maxUtilization = Math.max(sweep.maxUtilization, utilization(report));
      } catch (err) {
        // One client's failure must not hide the others' usage; the count is logged.
        sweep.failed++;
        logger.warn('usage read failed', { clientName: record.clientName, error: err instanceof Error ? err.name : 'unknown' });
      }
    }
    deps.metrics.maxQuotaUtilization(sweep.maxUtilization);
    deps.metrics.flush();
    logger.info('quota sweep', { ...sweep });
    return sweep;
  };
}

export function createHandler(env: RuntimeEnv): QuotaMonitor {
  const deps = depsFor(env);
  return createQuotaMonitor(deps, usageBackendFor(deps));
}

export const handler = lambdaEntry(createHandler);
