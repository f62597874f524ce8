/**
 * The CloudWatch metrics the functions emit (EMF) and the dashboard reads: one list, so
 * lib/ (dashboard, alarms) and lambdas/runtime/metrics.ts cannot drift apart by a name.
 * Powertools adds a `service` dimension to every set, so dashboard queries name it too.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export const METRICS_NAMESPACE = 'WorkoutKit';
export const METRICS_SERVICE = 'workoutkit-gateway';

export const METRIC = {
  /** One per authorizer invocation (cache hits never reach the authorizer). */
  authorizations: 'Authorizations',
  authorizerLatency: 'AuthorizerLatency',
  tokensIssued: 'TokensIssued',
  launchTokensIssued: 'LaunchTokensIssued',
  launchesRefused: 'LaunchesRefused',
  quotaUsed: 'QuotaUsed',
  quotaLimit: 'QuotaLimit',
  quotaRemaining: 'QuotaRemaining',
  /** Percent of the period's quota used, per client. */
  quotaUtilization: 'QuotaUtilization',
  /** The highest QuotaUtilization over the stage's clients (what the client quota alarm watches). */
  maxQuotaUtilization: 'MaxQuotaUtilization',
  /** Percent of the deployment quota (the tenant's contract quota for the stage) used. */
  deploymentQuotaUtilization: 'DeploymentQuotaUtilization',
  deploymentQuotaUsed: 'DeploymentQuotaUsed',
  /** Counter reads the quota monitor could not make in a run (0 when all went well). */
  quotaReadFailures: 'QuotaReadFailures',
  /** 1 per quota monitor run that read every counter; its absence is an alarm of its own. */
  quotaMonitorSucceeded: 'QuotaMonitorSucceeded',
} as const;

/** Dimension names; every set also has Tenant and Stage (and Powertools' `service`). */
export const DIMENSION = {
  tenant: 'Tenant',
  stage: 'Stage',
  outcome: 'Outcome',
  reason: 'Reason',
  tokenKind: 'TokenKind',
  client: 'Client',
} as const;

/** The authorizer's denial reasons: the 401 codes verification can end in. */
export const DENIAL_REASONS = ['invalid_token', 'token_expired', 'invalid_signature', 'missing_required_claim', 'token_revoked'] as const;
export type DenialReason = (typeof DENIAL_REASONS)[number];

/** What the authorizer reports in TokenKind: the three JWT kinds, and an x-api-key on public-read routes. */
export const TOKEN_KINDS = ['issued', 'client-hs256', 'client-asymmetric', 'api-key'] as const;

/** The Outcome dimension's values (on the Outcome+Reason and the TokenKind+Outcome sets). */
export const OUTCOMES = ['allow', 'deny'] as const;
