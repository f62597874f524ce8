/**
 * The scheduled functions of SCHEDULED_FUNCTIONS (lambdas/gateway/scheduled.ts): today the
 * quota monitor, invoked by an EventBridge schedule, reading the table (the client index and
 * the usage counters; no API Gateway call), writing EMF metrics to its log group.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundledFunction } from './bundled-function';
import { denyOwnedItems } from './stage-functions';
import { SCHEDULED_FUNCTIONS } from '../lambdas/gateway/scheduled';

export interface StageQuotaMonitorProps {
  readonly table: dynamodb.ITable;
  /** The stage's runtime environment (lib/stage-functions.ts runtimeEnvironment). */
  readonly environment: Readonly<Record<string, string>>;
  readonly projectRoot: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly bundling?: nodejs.BundlingOptions;
  readonly description: string;
}

export class StageQuotaMonitor extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: StageQuotaMonitorProps) {
    super(scope, id);
    const spec = SCHEDULED_FUNCTIONS.quotaMonitor;
    this.function = bundledFunction(this, 'Function', {
      spec,
      description: `${props.description}: ${spec.description}`,
      environment: props.environment,
      projectRoot: props.projectRoot,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      ...(props.bundling ? { bundling: props.bundling } : {}),
    });
    // Query of the client index, BatchGetItem of counters; no KMS: it opens nothing.
    props.table.grantReadData(this.function);
    // Launch-token items are the session function's alone.
    denyOwnedItems(this.function, props.table);
    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'Publishes per-client quota metrics',
      schedule: events.Schedule.rate(Duration.minutes(spec.everyMinutes)),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });
  }
}
