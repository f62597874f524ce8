/**
 * `<Tenant>-<stage>`: one WorkoutKitStage plus the outputs operators and integrators need.
 */
import { CfnOutput, Duration, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import type { StageName } from '../lambdas/gateway/settings';
import { stageQuotaConfig, type TenantConfig } from './tenant-config';
import { WorkoutKitStage } from './workoutkit-stage';

const DASHBOARD_TYPE = 'AWS::CloudWatch::Dashboard';
/** Resource types whose tag charset refuses '@' (the contact tag is an e-mail address). */
export const CONTACT_UNTAGGED_TYPES = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'] as const;

export interface StageStackProps extends StackProps {
  /** A validated tenant (lib/tenant-config.ts). */
  readonly tenant: TenantConfig;
  readonly stage: StageName;
  /**
   * Overrides merged over the default esbuild options.
   * @default - minified CJS with source maps, bundled by local esbuild
   */
  readonly bundling?: nodejs.BundlingOptions;
  /**
   * Directory that holds the handler entries and package-lock.json.
   * @default the repository root
   */
  readonly projectRoot?: string;
}

export class StageStack extends Stack {
  readonly deployment: WorkoutKitStage;

  constructor(scope: Construct, id: string, props: StageStackProps) {
    super(scope, id, {
      description: `WorkoutKit Gateway: tenant ${props.tenant.name}, stage ${props.stage}`,
      ...props,
    });
    const { tenant, stage } = props;
    const stageConfig = tenant.stages[stage];

    this.deployment = new WorkoutKitStage(this, 'Stage', {
      tenant: tenant.name,
      stage,
      authorizerCacheTtl: Duration.seconds(tenant.authorizerCacheTtlSeconds),
      ...(stageConfig.throttle && { throttle: stageConfig.throttle }),
      quotaConfig: stageQuotaConfig(stageConfig),
      alarmEmails: tenant.alarmEmails,
      ...(tenant.stages[stage].domain && { domain: tenant.stages[stage].domain }),
      ...(props.bundling && { bundling: props.bundling }),
      ...(props.projectRoot && { projectRoot: props.projectRoot }),
    });

    // Tags make cost and ownership visible per tenant in Cost Explorer and the console.
    // AWS::CloudWatch::Dashboard has no Tags property in every region's resource schema (cfn-lint
    // E3002 for us-east-1), so the dashboard is left untagged everywhere. DynamoDB tag values
    // allow only letters, digits, spaces and + - = . _ : /, so an e-mail address stays off the table.
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TaggingRestrictions.html
    const untagged = [DASHBOARD_TYPE];
    Tags.of(this).add('workoutkit:tenant', tenant.name, { excludeResourceTypes: untagged });
    Tags.of(this).add('workoutkit:stage', stage, { excludeResourceTypes: untagged });
    Tags.of(this).add('workoutkit:contact', tenant.contact, { excludeResourceTypes: [...untagged, ...CONTACT_UNTAGGED_TYPES] });

    new CfnOutput(this, 'ApiUrl', {
      description: 'Stage base URL (https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/)',
      value: this.deployment.url,
    });
    new CfnOutput(this, 'BaseUrl', {
      description: "The stage's base URL and issuer identifier (the custom domain when configured); CLI, portal and docs use it",
      value: this.deployment.baseUrl,
    });
    new CfnOutput(this, 'TableName', { value: this.deployment.table.tableName });
    new CfnOutput(this, 'SecretsKeyId', { value: this.deployment.secretsKey.keyId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.deployment.monitoring.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.deployment.monitoring.dashboard.dashboardName });
  }
}
