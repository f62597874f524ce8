/**
 * One NodejsFunction per entry of FUNCTIONS (lambdas/gateway/routes.ts), with the
 * environment of lambdas/runtime/env.ts and only the table and key rights each needs.
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundledFunction } from './bundled-function';
import { METRICS_SERVICE } from '../lambdas/gateway/metrics-catalog';
import { FUNCTIONS, type FunctionName } from '../lambdas/gateway/routes';
import type { StageName } from '../lambdas/gateway/settings';
import type { StageQuotaConfig } from '../lambdas/core/quota';
import type { RuntimeEnv } from '../lambdas/runtime/env';

/** What a function may do with the deployment's table and envelope key. */
export interface FunctionAccess {
  readonly table: 'read' | 'readWrite';
  readonly kms: readonly ('kms:Decrypt' | 'kms:GenerateDataKey' | 'kms:Encrypt')[];
  /** PutItem only on items whose partition key matches one of these patterns (a read-only function's log). */
  readonly putOnly?: readonly string[];
  /** Partition keys (patterns) only this function may read or write: every other role is denied them (denyOwnedItems). */
  readonly owns?: readonly string[];
}

/**
 * The authorizer only reads (clients, public signing keys, revocations) and opens sealed client
 * secrets; it never seals anything. `public` writes because GET /.well-known/jwks.json creates
 * a fresh deployment's first signing key (lambdas/public/handler.ts). The keyring
 * (lambdas/store/keyring.ts) wraps with GenerateDataKey and unwraps with Decrypt, so
 * kms:Encrypt is granted to nobody.
 */
export const FUNCTION_ACCESS: Readonly<Record<FunctionName, FunctionAccess>> = {
  // ...except that it files refusals under AUTHLOG#<client> (lambdas/authorizer/denial-log.ts).
  authorizer: { table: 'read', kms: ['kms:Decrypt'], putOnly: ['AUTHLOG#*'] },
  authtoken: { table: 'readWrite', kms: ['kms:Decrypt', 'kms:GenerateDataKey'] },
  api: { table: 'readWrite', kms: ['kms:Decrypt', 'kms:GenerateDataKey'] },
  // Issues WorkoutKitTokens and checks them at launch: the launch-token items are its alone
  // (LAUNCH#<jti>, lambdas/store/launch-token-store.ts).
  session: { table: 'readWrite', kms: ['kms:Decrypt', 'kms:GenerateDataKey'], owns: ['LAUNCH#*'] },
  admin: { table: 'readWrite', kms: ['kms:Decrypt', 'kms:GenerateDataKey'] },
  public: { table: 'readWrite', kms: ['kms:Decrypt', 'kms:GenerateDataKey'] },
};

/** Every item-level call: with dynamodb:LeadingKeys set to the partition keys it touches. */
const ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/** The partition-key patterns owned by the functions other than `except`. */
function ownedElsewhere(except: FunctionName | undefined): string[] {
  return (Object.keys(FUNCTION_ACCESS) as FunctionName[]).filter((f) => f !== except).flatMap((f) => FUNCTION_ACCESS[f].owns ?? []);
}

/**
 * Denies `fn` the items other functions own (FunctionAccess.owns), whatever its grants: an
 * explicit Deny wins over every Allow. A request is denied when any partition key it touches
 * matches (ForAnyValue), so a batch cannot carry an owned key among others. A Scan has no
 * partition key to match and reads every item, so it is denied outright (no function scans;
 * the clients index holds only client profiles and API key lookups).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function denyOwnedItems(fn: nodejs.NodejsFunction, table: dynamodb.ITable, except?: FunctionName): void {
  const owned = ownedElsewhere(except);
  if (owned.length === 0) return;
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: ITEM_ACTIONS,
      resources: [table.tableArn],
      conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': owned } },
    }),
  );
  fn.addToRolePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['dynamodb:Scan'], resources: [table.tableArn] }));
}

export interface StageFunctionsProps {
  readonly tenant: string;
  readonly stage: StageName;
  readonly table: dynamodb.ITable;
  readonly key: kms.IKey;
  readonly authorizerCacheTtlSeconds: number;
  /** The stage's deployment quota and tiers (the tenant config's stage entry), for counting and usage reads. */
  readonly quotaConfig: StageQuotaConfig;
  /** Directory holding the entries named in FUNCTIONS and package-lock.json. */
  readonly projectRoot: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Merged over the default bundling options (tests use it; deployments should not need it). */
  readonly bundling?: nodejs.BundlingOptions;
}

/** Also the `service` dimension of every EMF metric (lambdas/gateway/metrics-catalog.ts). */
export const POWERTOOLS_SERVICE_NAME = METRICS_SERVICE;

export function runtimeEnvironment(props: StageFunctionsProps): Record<string, string> {
  const env: Required<Pick<RuntimeEnv, 'TENANT' | 'STAGE' | 'TABLE_NAME' | 'KEYRING' | 'KMS_KEY_ID' | 'AUTHORIZER_CACHE_TTL'>> = {
    TENANT: props.tenant,
    STAGE: props.stage,
    TABLE_NAME: props.table.tableName,
    KEYRING: 'kms',
    // KMS accepts a key ARN wherever it takes a KeyId; the ARN is unambiguous across regions.
    KMS_KEY_ID: props.key.keyArn,
    AUTHORIZER_CACHE_TTL: String(props.authorizerCacheTtlSeconds),
  };
  const usage: Required<Pick<RuntimeEnv, 'QUOTA_CONFIG' | 'API_KEY_BACKEND'>> = {
    QUOTA_CONFIG: JSON.stringify(props.quotaConfig),
    API_KEY_BACKEND: 'apigateway',
  };
  // No NODE_OPTIONS=--enable-source-maps: it costs every cold start ~40 ms (docs/benchmarks.md).
  return { ...env, ...usage, POWERTOOLS_SERVICE_NAME };
}

export class StageFunctions extends Construct {
  readonly functions: Readonly<Record<FunctionName, nodejs.NodejsFunction>>;
  /** What every function gets; scheduled functions (lib/stage-quota-monitor.ts) reuse it. */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: StageFunctionsProps) {
    super(scope, id);
    const environment = runtimeEnvironment(props);
    this.environment = environment;
    const made = {} as Record<FunctionName, nodejs.NodejsFunction>;
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const spec = FUNCTIONS[name];
      const fn = bundledFunction(this, name, {
        spec,
        description: `${props.tenant}/${props.stage}: ${spec.description}`,
        environment,
        projectRoot: props.projectRoot,
        logRetention: props.logRetention,
        removalPolicy: props.removalPolicy,
        ...(props.bundling ? { bundling: props.bundling } : {}),
      });
      const access = FUNCTION_ACCESS[name];
      if (access.table === 'readWrite') props.table.grantReadWriteData(fn);
      else props.table.grantReadData(fn);
      if (access.putOnly) {
        // Fine-grained access: the partition keys a request touches must all match.
        // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['dynamodb:PutItem'],
            resources: [props.table.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...access.putOnly] } },
          }),
        );
      }
      denyOwnedItems(fn, props.table, name);
      props.key.grant(fn, ...access.kms);
      made[name] = fn;
    }
    this.functions = made;
  }
}
