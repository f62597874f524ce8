/**
 * One deployment: tenant × stage. Everything is owned by this construct and nothing has a
 * fixed physical name, so any number of tenants and stages can share an account.
 */
import * as path from 'node:path';
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '../lambdas/gateway/routes';
import { clampCacheTtl, type StageName } from '../lambdas/gateway/settings';
import { CLIENT_INDEX, TABLE_KEYS, TTL_ATTRIBUTE } from '../lambdas/store/table-schema';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FALLBACK_QUOTA_CONFIG, type StageQuotaConfig } from '../lambdas/core/quota';
import { StageApi } from './stage-api';
import { StageDomain } from './stage-domain';
import type { StageDomain as StageDomainConfig } from './tenant-config';
import { StageFunctions } from './stage-functions';
import { StageMonitoring } from './stage-monitoring';
import { StageQuotaMonitor } from './stage-quota-monitor';
import { SCHEDULED_FUNCTIONS } from '../lambdas/gateway/scheduled';
import { acknowledgeApiKeyWildcards, apiKeyAdminStatements, tierUsagePlans } from './usage-plan-access';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';

export interface WorkoutKitStageProps {
  /** Tenant id (`[a-z0-9-]`); set as TENANT on every function. */
  readonly tenant: string;
  /** `sandbox` or `prod`; also the API Gateway stage name, so the URL ends in `/{stage}`. */
  readonly stage: StageName;
  /**
   * Authorizer result cache TTL: the bound on how late a revocation takes effect.
   * Validated with `clampCacheTtl` (0 to 300 s).
   * @default 60 seconds
   */
  readonly authorizerCacheTtl?: Duration;
  /**
   * Stage-wide throttle (requests per second and burst).
   * @default - the account's regional API Gateway limits
   */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * The deployment quota (shared by the stage's clients, counted by the gateway) and the
   * throttle tiers (one usage plan each, bound to the stage).
   * @default FALLBACK_QUOTA_CONFIG (no deployment quota; tier default at 50 rps, burst 100)
   */
  readonly quotaConfig?: StageQuotaConfig;
  /**
   * E-mail addresses subscribed to the stage's alarm topic.
   * @default - none (the topic exists; subscribe later)
   */
  readonly alarmEmails?: readonly string[];
  /**
   * What happens to the table, key and log groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN for prod, RemovalPolicy.DESTROY for sandbox
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Retention of function and access logs.
   * @default RetentionDays.ONE_YEAR for prod, RetentionDays.ONE_MONTH for sandbox
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The stage's own domain (custom domain, certificate, optional hosted zone for the alias).
   * @default - none: the base URL is the execute-api URL
   */
  readonly domain?: StageDomainConfig;
  /**
   * Directory that holds the handler entries named in FUNCTIONS and package-lock.json.
   * @default the repository root
   */
  readonly projectRoot?: string;
  /**
   * Overrides merged over the default esbuild options.
   * @default - minified CJS with source maps, bundled by local esbuild
   */
  readonly bundling?: nodejs.BundlingOptions;
}

export class WorkoutKitStage extends Construct {
  readonly table: dynamodb.Table;
  /** Wraps the data keys that seal client secrets, signing keys and API keys. */
  readonly secretsKey: kms.Key;
  readonly functions: Readonly<Record<FunctionName, nodejs.NodejsFunction>>;
  readonly api: StageApi;
  readonly monitoring: StageMonitoring;
  readonly quotaMonitor: StageQuotaMonitor;
  /** Present when the stage has a custom domain. */
  readonly domain?: StageDomain;
  /**
   * The stage's base URL without a trailing slash, and so its issuer identifier (ISSUER on
   * every function): `https://{domain}`, else `https://{api-id}.execute-api.{region}.{suffix}/{stage}`.
   */
  readonly baseUrl: string;
  /** The tiers' usage plans by tier name. */
  readonly tierPlans: ReadonlyMap<string, apigw.UsagePlan>;

  constructor(scope: Construct, id: string, props: WorkoutKitStageProps) {
    super(scope, id);
    const prod = props.stage === 'prod';
    const removalPolicy = props.removalPolicy ?? (prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
    const logRetention = props.logRetention ?? (prod ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_MONTH);
    const ttlSeconds = clampCacheTtl(props.authorizerCacheTtl?.toSeconds());

    this.secretsKey = new kms.Key(this, 'SecretsKey', {
      description: `WorkoutKit ${props.tenant}/${props.stage}: envelope key for client secrets`,
      enableKeyRotation: true,
      removalPolicy,
      // A deleted key makes every sealed secret unreadable; KMS keeps it recoverable this long.
      pendingWindow: Duration.days(prod ? 30 : 7),
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // AWS-managed key: secrets are already sealed by SecretsKey, and sharing that key with
      // the table would hand every reader kms:Decrypt on it.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // DynamoDB deletes expired items late (up to days); readers filter on it too.
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: prod,
      removalPolicy,
    });
    // The quota monitor lists clients by Query on this index (never a Scan of the table).
    // Table read grants then cover `<table>/index/*` too, which is this one index.
    const tableId = String(Stack.of(this).resolve(Stack.of(this).getLogicalId(this.table.node.defaultChild as CfnElement)));
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
      reason: `The table's only index is the client index (${CLIENT_INDEX.name}); grants on the table cover it by CDK's index/* form.`,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: CLIENT_INDEX.name,
      partitionKey: { name: CLIENT_INDEX.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: CLIENT_INDEX.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...CLIENT_INDEX.projected],
    });

    const projectRoot = props.projectRoot ?? path.resolve(__dirname, '..');
    const quotaConfig = props.quotaConfig ?? FALLBACK_QUOTA_CONFIG;
    const stageFunctions = new StageFunctions(this, 'Functions', {
      tenant: props.tenant,
      stage: props.stage,
      table: this.table,
      key: this.secretsKey,
      authorizerCacheTtlSeconds: ttlSeconds,
      quotaConfig,
      projectRoot,
      logRetention,
      removalPolicy,
      ...(props.bundling && { bundling: props.bundling }),
    });
    this.functions = stageFunctions.functions;

    this.api = new StageApi(this, 'Gateway', {
      tenant: props.tenant,
      stage: props.stage,
      functions: this.functions,
      authorizerCacheTtlSeconds: ttlSeconds,
      logRetention,
      removalPolicy,
      ...(props.throttle && { throttle: props.throttle }),
    });

    // The issuer is built from the RestApi's id, not from its URL: `api.url` names the Stage,
    // which depends on the Deployment, its Methods and so these functions (a cycle). The
    // RestApi itself depends on no function.
    if (props.domain) this.domain = new StageDomain(this, 'Domain', { domain: props.domain, api: this.api.api });
    const stack = Stack.of(this);
    this.baseUrl = this.domain?.url ?? `https://${this.api.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${props.stage}`;
    for (const fn of Object.values(this.functions)) fn.addEnvironment('ISSUER', this.baseUrl);

    // Throttle tiers: one stack-owned usage plan each, bound to the stage. The admin function
    // attaches each client's API key to its tier's plan; REST_API_ID and the policy come after
    // the API (the API's methods already reference the function, and a separate Policy keeps
    // the function from depending on the plans, which depend on the stage).
    this.tierPlans = tierUsagePlans(this, this.api.api, props.stage, quotaConfig.tiers);
    const restApiId = this.api.api.restApiId;
    this.functions.admin.addEnvironment('REST_API_ID', restApiId);
    const adminApiKeys = new iam.Policy(this, 'AdminApiKeys', {
      statements: apiKeyAdminStatements(this, restApiId, props.stage, [...this.tierPlans.values()]),
    });
    acknowledgeApiKeyWildcards(adminApiKeys, [...this.tierPlans.values()]);
    this.functions.admin.role?.attachInlinePolicy(adminApiKeys);

    this.quotaMonitor = new StageQuotaMonitor(this, 'QuotaMonitor', {
      table: this.table,
      environment: { ...stageFunctions.environment, ISSUER: this.baseUrl },
      projectRoot,
      logRetention,
      removalPolicy,
      description: `${props.tenant}/${props.stage}`,
      ...(props.bundling && { bundling: props.bundling }),
    });

    this.monitoring = new StageMonitoring(this, 'Monitoring', {
      tenant: props.tenant,
      stage: props.stage,
      apiName: this.api.api.restApiName,
      alarmEmails: props.alarmEmails ?? [],
      functions: { ...this.functions, quotaMonitor: this.quotaMonitor.function },
      quotaMonitorMinutes: SCHEDULED_FUNCTIONS.quotaMonitor.everyMinutes,
    });
  }

  /** `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/` (also served when a custom domain exists) */
  get url(): string {
    return this.api.api.url;
  }
}
