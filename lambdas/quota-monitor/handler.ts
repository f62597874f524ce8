/**
 * Scheduled (EventBridge, SCHEDULED_FUNCTIONS): publishes quota use from the gateway's own
 * counters as CloudWatch metrics (API Gateway has no per-client metric): per client used, limit,
 * remaining and utilisation, the stage's highest client utilisation, and the deployment quota's
 * utilisation. Clients come from a Query over the client index, counters from BatchGetItem (all
 * shards of up to 100 counter items per call) — no table scan, no API Gateway management call.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
 *
 * Honest about itself: every run publishes QuotaReadFailures (how many reads failed), and
 * QuotaMonitorSucceeded = 1 only when every read worked. Its health alarm treats a missing
 * QuotaMonitorSucceeded as breaching, so a monitor that fails, times out or stops running is
 * an alarm, never a green "0 % used". A failed run also ends in an error (the Lambda Errors alarm).
 */
import { clientCounterShards, deploymentCounterShards, type UsageReport } from '../core/quota';
import { depsFor, type Deps } from '../runtime/deps';
import type { RuntimeEnv } from '../runtime/env';
import { lambdaEntry } from '../runtime/entry';
import { logger } from '../runtime/logger';
import { utilization } from '../runtime/metrics';
import { clientPeriod } from '../runtime/quota-meter';
import { listClients, type IndexedClient } from '../store/client-index';
import { usageReport } from '../core/quota';

export interface QuotaSweep {
  clients: number;
  failed: number;
  maxUtilization: number;
  deployment: UsageReport | null;
}

export type QuotaMonitor = () => Promise<QuotaSweep>;

type MonitorDeps = Pick<Deps, 'env' | 'doc' | 'clock' | 'quotaConfig' | 'usageCounters' | 'metrics'>;

export function createQuotaMonitor(deps: MonitorDeps): QuotaMonitor {
  return async () => {
    const sweep: QuotaSweep = { clients: 0, failed: 0, maxUtilization: 0, deployment: null };
    const now = deps.clock();
    const config = deps.quotaConfig;
    const shards = clientCounterShards(config);
    const perBatch = Math.max(1, Math.floor(100 / shards));
    const readBatch = async (batch: IndexedClient[]): Promise<void> => {
      try {
        const used = await deps.usageCounters.used(
          batch.map((c) => ({ scope: { kind: 'client', clientName: c.clientName }, period: clientPeriod(config, c), shards })),
          now,
        );
        batch.forEach((c, i) => {
          const report = usageReport(c.quota, used[i] ?? 0, now);
          deps.metrics.quota(c.clientName, report);
          sweep.maxUtilization = Math.max(sweep.maxUtilization, utilization(report));
        });
      } catch (err) {
        // One batch's failure must not hide the others' use; it is counted and alarmed on.
        sweep.failed += batch.length;
        logger.warn('usage read failed', { clients: batch.length, error: err instanceof Error ? err.name : 'unknown' });
      }
    };
    try {
      let batch: IndexedClient[] = [];
      for await (const client of listClients(deps.doc, deps.env.TABLE_NAME)) {
        sweep.clients++;
        batch.push(client);
        if (batch.length >= perBatch) {
          await readBatch(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await readBatch(batch);
    } catch (err) {
      sweep.failed++; // the client list itself could not be read
      logger.warn('client index read failed', { error: err instanceof Error ? err.name : 'unknown' });
    }
    if (config.deployment) {
      try {
        const [used = 0] = await deps.usageCounters.used(
          [{ scope: { kind: 'deployment' }, period: config.deployment.period, shards: deploymentCounterShards(config) }],
          now,
        );
        sweep.deployment = usageReport(config.deployment, used, now);
        deps.metrics.deploymentQuota(sweep.deployment);
      } catch (err) {
        sweep.failed++;
        logger.warn('deployment usage read failed', { error: err instanceof Error ? err.name : 'unknown' });
      }
    }
    if (sweep.failed === 0) deps.metrics.maxQuotaUtilization(sweep.maxUtilization);
    deps.metrics.quotaMonitorRun({ readFailures: sweep.failed, succeeded: sweep.failed === 0 });
    deps.metrics.flush();
    logger.info('quota sweep', { ...sweep });
    if (sweep.failed > 0) throw new Error(`quota monitor: ${sweep.failed} counter read(s) failed`);
    return sweep;
  };
}

export function createHandler(env: RuntimeEnv): QuotaMonitor {
  return createQuotaMonitor(depsFor(env, 'quotaMonitor'));
}

export const handler = lambdaEntry(createHandler);
