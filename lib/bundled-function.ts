/**
 * The one way this project makes a Lambda: NodejsFunction bundled by the local esbuild
 * (no Docker on CI or laptops), Node.js 22 on ARM64, X-Ray, the AWS SDK bundled (the runtime's
 * copy changes under us; the lockfile's is the one tested), and an explicit log group so
 * retention and removal belong to the stack without the LogRetention custom resource.
 * The SDK's credential chain is replaced by the environment provider (lambdas/runtime/lambda-credentials.ts).
 * Source maps are written beside each bundle but not enabled at run time (scripts/symbolicate.mjs).
 */
import * as path from 'node:path';
import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** Resolved by esbuild from the project root (aliases resolve in the working directory). */
export const LAMBDA_CREDENTIALS = './lambdas/runtime/lambda-credentials.ts';

/**
 * esbuild settings of every Lambda bundle beyond CDK's defaults; the bench builds with the same
 * (bench/cold-start.ts), so its cold starts are the deployed bundles'. Measured effects are in
 * docs/benchmarks.md ("Cold start").
 */
export const LAMBDA_ESBUILD = {
  // The AWS SDK's ES module builds tree-shake: the authorizer bundle drops from 584 to about
  // 320 KiB and loading it takes about half the CPU. Packages with an `exports` map resolve by it
  // as before; `main` is the fallback for packages without an ES module build.
  mainFields: ['module', 'main'],
  // Without --enable-source-maps (it costs ~40 ms of every cold start), stack traces show the
  // bundle's positions; kept function and class names make them readable as they are.
  keepNames: true,
  // Credentials come from the environment in Lambda: skip the SDK's full chain (-100 KB).
  alias: { '@aws-sdk/credential-provider-node': LAMBDA_CREDENTIALS },
} as const;

export interface BundledFunctionSpec {
  /** Entry file relative to `projectRoot`. */
  readonly entry: string;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
}

export interface BundledFunctionProps {
  readonly spec: BundledFunctionSpec;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  /** Directory holding the entry and package-lock.json. */
  readonly projectRoot: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Merged over the defaults (tests skip bundling with it). */
  readonly bundling?: nodejs.BundlingOptions;
}

export function bundledFunction(scope: Construct, id: string, props: BundledFunctionProps): nodejs.NodejsFunction {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: props.logRetention, removalPolicy: props.removalPolicy });
  const fn = new nodejs.NodejsFunction(scope, id, {
    entry: path.join(props.projectRoot, props.spec.entry),
    handler: 'handler',
    depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
    projectRoot: props.projectRoot,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.spec.memorySize,
    timeout: Duration.seconds(props.spec.timeoutSeconds),
    description: props.description,
    environment: { ...props.environment },
    logGroup,
    tracing: lambda.Tracing.ACTIVE,
    bundling: {
      forceDockerBundling: false,
      minify: true,
      // index.js.map beside index.js in the asset, for scripts/symbolicate.mjs; the runtime never reads it.
      sourceMap: true,
      format: nodejs.OutputFormat.CJS,
      target: 'node22',
      externalModules: [],
      mainFields: [...LAMBDA_ESBUILD.mainFields],
      keepNames: LAMBDA_ESBUILD.keepNames,
      esbuildArgs: Object.fromEntries(Object.entries(LAMBDA_ESBUILD.alias).map(([from, to]) => [`--alias:${from}`, to])),
      ...props.bundling,
    },
  });
  acknowledgeFunctionFindings(fn);
  return fn;
}

/**
 * cdk-nag AwsSolutions findings every bundled function has by design (docs/deploy.md,
 * "Security checks"). Acknowledged on the function, so they cover its role and default policy.
 */
export const FUNCTION_ACKNOWLEDGMENTS = [
  {
    id: 'AwsSolutions-L1',
    reason:
      'Runtime pinned to NODEJS_22_X on purpose: the bundle is built for esbuild target node22 and cdk.json sets ' +
      'useLatestRuntimeVersion=false; a runtime upgrade is a deliberate change (target, runtime, tests), never a side effect.',
  },
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'AWSLambdaBasicExecutionRole grants only logs:CreateLogGroup/CreateLogStream/PutLogEvents (no data access); ' +
      "the runtime writes to the function's own log group, owned by this stack with a set retention.",
  },
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'The only Resource "*" on a function role is xray:PutTraceSegments/PutTelemetryRecords (tracing: ACTIVE); ' +
      'X-Ray has no resource-level permissions. test/cdk/cdk-nag.test.ts checks no other action gets "*".',
  },
] as const;

function acknowledgeFunctionFindings(fn: nodejs.NodejsFunction): void {
  Validations.of(fn).acknowledge(...FUNCTION_ACKNOWLEDGMENTS);
}
