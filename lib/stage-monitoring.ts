/**
 * One CloudWatch dashboard and the alarms of a deployment (tenant × stage), wired to an SNS
 * topic whose e-mail subscribers come from the tenant config. No physical names: dashboard,
 * alarms and topic get generated ones, so tenants and stages can share an account.
 *
 * Sources: AWS/ApiGateway (requests, 4xx, 5xx, latency, by ApiName + Stage) and the
 * functions' EMF metrics (lambdas/gateway/metrics-catalog.ts): authorizations by outcome and
 * reason, tokens issued, launches, and per-client quota use published by the quota monitor.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  DENIAL_REASONS,
  DIMENSION,
  METRIC,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  OUTCOMES,
  TOKEN_KINDS,
} from '../lambdas/gateway/metrics-catalog';
import type { StageName } from '../lambdas/gateway/settings';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

export interface StageMonitoringProps {
  readonly tenant: string;
  readonly stage: StageName;
  /** The REST API's name (the ApiName dimension of AWS/ApiGateway metrics). */
  readonly apiName: string;
  /** Who gets alarm e-mails (tenant config `alarmEmails`). */
  readonly alarmEmails: readonly string[];
  /** Every function of the stage (the route functions, the authorizer, the quota monitor): one Errors alarm each. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** How often the quota monitor runs: its health alarm expects a successful run in every such period. */
  readonly quotaMonitorMinutes: number;
  /**
   * Alarm when the busiest client has used more than this share of its period quota.
   * @default 80 (percent)
   */
  readonly quotaAlarmPercent?: number;
  /**
   * Alarm when more than this share of requests in 5 minutes end in a 5xx.
   * @default 5 (percent)
   */
  readonly serverErrorAlarmPercent?: number;
  /**
   * Alarm when the authorizer denies more than this many tokens for invalid_signature in
   * 5 minutes (forged tokens: a sign of attack).
   * @default 50
   */
  readonly invalidSignatureAlarmCount?: number;
}

/** Widget titles (tests and the dashboard picture read them). */
export const WIDGET = {
  requests: 'Requests',
  errors: '4xx and 5xx',
  latency: 'Latency p50 / p90 / p99',
  denials: 'Authorizer denials by reason',
  tokenKinds: 'Authorizations allowed by token kind',
  apiKeys: 'API-key authorizations (allowed / refused)',
  authorizerLatency: 'Authorizer latency',
  quotaUsed: 'Quota used vs limit per client',
  quotaUtilization: 'Quota utilization per client (%)',
  tokens: 'Tokens issued, launches',
  alarms: 'Alarms',
} as const;

const FIVE_MINUTES = Duration.minutes(5);

export class StageMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cw.Dashboard;
  readonly alarms: {
    readonly quota: cw.Alarm;
    readonly deploymentQuota: cw.Alarm;
    readonly quotaMonitorHealth: cw.Alarm;
    readonly quotaReadFailures: cw.Alarm;
    readonly serverErrors: cw.Alarm;
    readonly invalidSignatures: cw.Alarm;
  };
  /** One per function, by the function's name in `functions`. */
  readonly functionErrorAlarms: Readonly<Record<string, cw.Alarm>>;

  constructor(scope: Construct, id: string, props: StageMonitoringProps) {
    super(scope, id);
    const own = { [DIMENSION.tenant]: props.tenant, [DIMENSION.stage]: props.stage, service: METRICS_SERVICE };
    const emf = (metricName: string, dims: Record<string, string> = {}, statistic = 'Sum', label?: string): cw.Metric =>
      new cw.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { ...own, ...dims },
        statistic,
        period: FIVE_MINUTES,
        ...(label ? { label } : {}),
      });
    const gateway = (metricName: string, statistic: string, label: string): cw.Metric =>
      new cw.Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiName: props.apiName, Stage: props.stage },
        statistic,
        period: FIVE_MINUTES,
        label,
      });
    // Per-client series exist only at run time (clients are created by the operator API),
    // so the quota widgets use SEARCH over the Client dimension.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-search-expressions.html
    const search = (metricName: string, by: string, statistic: string, minutes: number, label: string): cw.MathExpression =>
      new cw.MathExpression({
        expression:
          `SEARCH('{${METRICS_NAMESPACE},${by},${DIMENSION.stage},${DIMENSION.tenant},service} ` +
          `MetricName="${metricName}" ${DIMENSION.tenant}="${props.tenant}" ${DIMENSION.stage}="${props.stage}"', '${statistic}', ${minutes * 60})`,
        label,
        period: Duration.minutes(minutes),
      });
    const perClient = (metricName: string, label: string): cw.MathExpression => search(metricName, DIMENSION.client, 'Maximum', 15, label);

    // enforceSSL denies sns:Publish without TLS (cdk-nag AwsSolutions-SNS3). Its topic policy
    // replaces SNS's default one, which let same-account alarms publish, so CloudWatch is allowed
    // back explicitly, for this account's alarms only.
    // https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit
    // https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: `WorkoutKit ${props.tenant}/${props.stage} alarms`, enforceSSL: true });
    const { account, region, partition } = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisAccountsAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    for (const email of props.alarmEmails) this.topic.addSubscription(new subs.EmailSubscription(email));
    const notify = new cwActions.SnsAction(this.topic);

    const requests = gateway('Count', 'Sum', 'requests');
    const serverErrors = gateway('5XXError', 'Sum', '5xx');
    const serverErrorRate = new cw.MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { requests, errors: serverErrors },
      label: '5xx rate (%)',
      period: FIVE_MINUTES,
    });

    const quota = new cw.Alarm(this, 'QuotaAlarm', {
      alarmDescription: `${props.tenant}/${props.stage}: a client used over ${props.quotaAlarmPercent ?? 80} % of its period quota`,
      metric: emf(METRIC.maxQuotaUtilization, {}, 'Maximum').with({ period: Duration.minutes(15) }),
      threshold: props.quotaAlarmPercent ?? 80,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    const serverErrorAlarm = new cw.Alarm(this, 'ServerErrorAlarm', {
      alarmDescription: `${props.tenant}/${props.stage}: over ${props.serverErrorAlarmPercent ?? 5} % of requests answered 5xx`,
      metric: serverErrorRate,
      threshold: props.serverErrorAlarmPercent ?? 5,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    const invalidSignatures = new cw.Alarm(this, 'InvalidSignatureAlarm', {
      alarmDescription: `${props.tenant}/${props.stage}: spike of invalid_signature denials (forged tokens?)`,
      metric: emf(METRIC.authorizations, { [DIMENSION.outcome]: 'deny', [DIMENSION.reason]: 'invalid_signature' }),
      threshold: props.invalidSignatureAlarmCount ?? 50,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    const monitorPeriod = Duration.minutes(props.quotaMonitorMinutes);
    const deploymentQuota = new cw.Alarm(this, 'DeploymentQuotaAlarm', {
      alarmDescription: `${props.tenant}/${props.stage}: over ${props.quotaAlarmPercent ?? 80} % of the deployment quota (shared by every client) used`,
      metric: emf(METRIC.deploymentQuotaUtilization, {}, 'Maximum').with({ period: monitorPeriod }),
      threshold: props.quotaAlarmPercent ?? 80,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // A stage without a deployment quota publishes nothing here; the monitor's health alarm
      // is what goes off when the monitor itself stops publishing.
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    // The monitor's own health: a successful run must be seen in two consecutive monitor
    // periods. Missing data is breaching: a monitor that crashes, times out, lacks rights or no
    // longer runs is an alarm, never a quiet "0 % used".
    const quotaMonitorHealth = new cw.Alarm(this, 'QuotaMonitorHealthAlarm', {
      alarmDescription: `${props.tenant}/${props.stage}: the quota monitor has not completed a run (quota utilisation is unknown)`,
      metric: emf(METRIC.quotaMonitorSucceeded).with({ period: monitorPeriod }),
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cw.TreatMissingData.BREACHING,
    });
    const quotaReadFailures = new cw.Alarm(this, 'QuotaReadFailureAlarm', {
      alarmDescription: `${props.tenant}/${props.stage}: the quota monitor could not read some counters`,
      metric: emf(METRIC.quotaReadFailures).with({ period: monitorPeriod }),
      threshold: 0,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    this.alarms = { quota, deploymentQuota, quotaMonitorHealth, quotaReadFailures, serverErrors: serverErrorAlarm, invalidSignatures };
    const functionErrorAlarms: Record<string, cw.Alarm> = {};
    for (const [name, fn] of Object.entries(props.functions)) {
      // Lambda's Errors metric: invocations that ended in an error (a throw, a timeout).
      // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
      functionErrorAlarms[name] = new cw.Alarm(this, `FunctionErrors-${name}`, {
        alarmDescription: `${props.tenant}/${props.stage}: the ${name} function ended invocations in errors`,
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
    }
    this.functionErrorAlarms = functionErrorAlarms;
    for (const alarm of [...Object.values(this.alarms), ...Object.values(functionErrorAlarms)]) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }

    const graph = (title: string, left: cw.IMetric[], extra: Partial<cw.GraphWidgetProps> = {}): cw.GraphWidget =>
      new cw.GraphWidget({ title, left, width: 8, height: 6, ...extra });

    this.dashboard = new cw.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(24) });
    this.dashboard.addWidgets(new cw.TextWidget({ markdown: `# WorkoutKit ${props.tenant} / ${props.stage}`, width: 24, height: 1 }));
    this.dashboard.addWidgets(
      graph(WIDGET.requests, [requests]),
      graph(WIDGET.errors, [gateway('4XXError', 'Sum', '4xx'), serverErrors], { right: [serverErrorRate] }),
      graph(
        WIDGET.latency,
        ['p50', 'p90', 'p99'].map((p) => gateway('Latency', p, p)),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        WIDGET.denials,
        DENIAL_REASONS.map((r) => emf(METRIC.authorizations, { [DIMENSION.outcome]: 'deny', [DIMENSION.reason]: r }, 'Sum', r)),
        { stacked: true, width: 6 },
      ),
      graph(
        WIDGET.tokenKinds,
        TOKEN_KINDS.map((k) => emf(METRIC.authorizations, { [DIMENSION.tokenKind]: k, [DIMENSION.outcome]: 'allow' }, 'Sum', k)),
        { stacked: true, width: 6 },
      ),
      // x-api-key on the public-read routes: refusals are unknown or revoked keys.
      graph(
        WIDGET.apiKeys,
        OUTCOMES.map((o) =>
          emf(
            METRIC.authorizations,
            { [DIMENSION.tokenKind]: 'api-key', [DIMENSION.outcome]: o },
            'Sum',
            o === 'allow' ? 'allowed' : 'refused',
          ),
        ),
        { width: 6 },
      ),
      graph(
        WIDGET.authorizerLatency,
        ['p50', 'p99'].map((p) =>
          emf(METRIC.authorizerLatency, { [DIMENSION.outcome]: 'allow', [DIMENSION.reason]: 'ok' }, p, `allow ${p}`),
        ),
        { width: 6 },
      ),
    );
    this.dashboard.addWidgets(
      graph(WIDGET.quotaUsed, [perClient(METRIC.quotaUsed, 'used')], { right: [perClient(METRIC.quotaLimit, 'limit')] }),
      graph(
        WIDGET.quotaUtilization,
        [perClient(METRIC.quotaUtilization, 'utilization'), emf(METRIC.deploymentQuotaUtilization, {}, 'Maximum', 'deployment')],
        {
          leftAnnotations: [{ value: props.quotaAlarmPercent ?? 80, label: 'alarm', color: cw.Color.RED }],
          leftYAxis: { min: 0, max: 100 },
        },
      ),
      graph(
        WIDGET.tokens,
        [
          emf(METRIC.tokensIssued, { [DIMENSION.tokenKind]: 'issued' }, 'Sum', 'access tokens'),
          emf(METRIC.launchTokensIssued, {}, 'Sum', 'launch tokens'),
        ],
        { right: [search(METRIC.launchesRefused, DIMENSION.reason, 'Sum', 5, 'launches refused')] },
      ),
    );
    this.dashboard.addWidgets(
      new cw.AlarmStatusWidget({
        title: WIDGET.alarms,
        alarms: [...Object.values(this.alarms), ...Object.values(functionErrorAlarms)],
        width: 24,
        height: 3,
      }),
    );
  }
}
