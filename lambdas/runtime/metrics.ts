/**
 * CloudWatch metrics in Embedded Metric Format (Powertools Metrics): a log line per flush,
 * turned into metrics by CloudWatch Logs, no PutMetricData call on the request path. Names
 * and dimensions come from lambdas/gateway/metrics-catalog.ts, which the dashboard reads too.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format.html
 *
 * Handlers record what happened and call flush() once per invocation. Nothing here takes a
 * token, a secret or a header; a client name is the most specific value recorded.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { UsageReport } from '../core/quota';
import { DIMENSION, METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from '../gateway/metrics-catalog';
import type { RuntimeEnv } from './env';

export interface AuthorizationOutcome {
  allowed: boolean;
  /** `ok` for an Allow, else the contract code of the Deny. */
  reason: string;
  tokenKind?: string;
  latencyMs: number;
}

export interface GatewayMetrics {
  authorization(outcome: AuthorizationOutcome): void;
  tokenIssued(tokenKind: string): void;
  launchTokenIssued(): void;
  launchRefused(reason: string): void;
  /** Per-client quota state (the quota monitor); flushed right away, one blob per client. */
  quota(clientName: string, report: UsageReport): void;
  maxQuotaUtilization(percent: number): void;
  /** The deployment quota's state (the quota monitor). */
  deploymentQuota(report: UsageReport): void;
  /** One quota monitor run: how many reads failed; succeeded = every counter was read. */
  quotaMonitorRun(run: { readFailures: number; succeeded: boolean }): void;
  /** Writes what was recorded since the last flush (call once per invocation). */
  flush(): void;
}

/**
 * Tests and the local gateway emit nothing unless WK_EMIT_METRICS=1: EMF lines would only
 * clutter a terminal, and no CloudWatch agent reads them there.
 */
function emitting(env: Pick<RuntimeEnv, 'LOCAL_MODE'>): boolean {
  if (process.env.WK_EMIT_METRICS === '1') return true;
  return env.LOCAL_MODE !== '1' && process.env.JEST_WORKER_ID === undefined;
}

export function createMetrics(env: Pick<RuntimeEnv, 'TENANT' | 'STAGE' | 'LOCAL_MODE'>): GatewayMetrics {
  if (!emitting(env)) return NO_METRICS;
  const m = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
  m.setDefaultDimensions({ [DIMENSION.tenant]: env.TENANT, [DIMENSION.stage]: env.STAGE });
  let pending = false;
  const count = (name: string, value = 1): void => {
    m.addMetric(name, MetricUnit.Count, value);
    pending = true;
  };
  return {
    authorization(o) {
      // Two dimension sets: denials by reason (Outcome+Reason) and traffic by token kind and
      // outcome (TokenKind+Outcome: API-key authorizations allowed and refused).
      const outcome = o.allowed ? 'allow' : 'deny';
      m.addDimensions({ [DIMENSION.outcome]: outcome, [DIMENSION.reason]: o.reason });
      if (o.tokenKind) m.addDimensions({ [DIMENSION.tokenKind]: o.tokenKind, [DIMENSION.outcome]: outcome });
      count(METRIC.authorizations);
      m.addMetric(METRIC.authorizerLatency, MetricUnit.Milliseconds, o.latencyMs);
    },
    tokenIssued(tokenKind) {
      m.addDimensions({ [DIMENSION.tokenKind]: tokenKind });
      count(METRIC.tokensIssued);
    },
    launchTokenIssued() {
      count(METRIC.launchTokensIssued);
    },
    launchRefused(reason) {
      m.addDimensions({ [DIMENSION.reason]: reason });
      count(METRIC.launchesRefused);
    },
    quota(clientName, r) {
      this.flush(); // the Client dimension must not leak onto metrics recorded before
      m.addDimensions({ [DIMENSION.client]: clientName });
      m.addMetric(METRIC.quotaUsed, MetricUnit.Count, r.used);
      if (r.limit !== null) {
        m.addMetric(METRIC.quotaLimit, MetricUnit.Count, r.limit);
        m.addMetric(METRIC.quotaRemaining, MetricUnit.Count, r.remaining ?? 0);
        m.addMetric(METRIC.quotaUtilization, MetricUnit.Percent, utilization(r));
      }
      m.publishStoredMetrics();
    },
    maxQuotaUtilization(percent) {
      m.addMetric(METRIC.maxQuotaUtilization, MetricUnit.Percent, percent);
      pending = true;
    },
    deploymentQuota(r) {
      m.addMetric(METRIC.deploymentQuotaUsed, MetricUnit.Count, r.used);
      m.addMetric(METRIC.deploymentQuotaUtilization, MetricUnit.Percent, utilization(r));
      pending = true;
    },
    quotaMonitorRun(run) {
      m.addMetric(METRIC.quotaReadFailures, MetricUnit.Count, run.readFailures);
      if (run.succeeded) m.addMetric(METRIC.quotaMonitorSucceeded, MetricUnit.Count, 1);
      pending = true;
    },
    flush() {
      if (!pending) return;
      pending = false;
      m.publishStoredMetrics();
    },
  };
}

/** Percent of the limit used (two decimals); 0 without a limit. */
export function utilization(r: Pick<UsageReport, 'used' | 'limit'>): number {
  return r.limit !== null && r.limit > 0 ? Math.round((r.used / r.limit) * 10_000) / 100 : 0;
}

const NO_METRICS: GatewayMetrics = {
  authorization: () => undefined,
  tokenIssued: () => undefined,
  launchTokenIssued: () => undefined,
  launchRefused: () => undefined,
  quota: () => undefined,
  maxQuotaUtilization: () => undefined,
  deploymentQuota: () => undefined,
  quotaMonitorRun: () => undefined,
  flush: () => undefined,
};
