/**
 * Cold start: every FUNCTIONS entry bundled with the deployed esbuild settings
 * (lib/bundled-function.ts), each run in a fresh `node` process until its first answer,
 * first DynamoDB reads included, against the benchmark's DynamoDB (bench/dynamo.ts); then
 * the authorizer bundle again with one setting changed at a time (the levers), so each
 * one's effect is measured in the same run. Also the DynamoDB calls of a container's first
 * authorizer request, per token kind (bench/dynamo-calls.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build, type BuildOptions } from 'esbuild';
import { createAuthorizer } from '../lambdas/authorizer/handler';
import { FUNCTIONS, type FunctionName } from '../lambdas/gateway/routes';
import { buildDeps } from '../lambdas/runtime/deps';
import { seedDemoCatalogue } from '../lambdas/store/seed-catalogue';
import { buildProxyEvent, type LocalRequest } from '../local/events';
import { LAMBDA_ESBUILD } from '../lib/bundled-function';
import { authorizerEvent } from './core';
import { countDynamoCalls, type DynamoCalls } from './dynamo-calls';
import { storeLabel } from './dynamo';
import { ROWS, STAGE, storeWorld, type Row, type StoreWorld } from './fixtures';
import { median } from './measure';

/** Medians over the runs of one bundle and setting. */
export interface ColdStartFigures {
  /** spawn → first answer (authorizer: first policy) → exit, wall ms. */
  firstAnswerMs: number;
  /** firstAnswerMs minus the `node -e 0` baseline of the same run. */
  overheadMs: number;
  bootstrapMs: number;
  moduleLoadMs: number;
  firstInvokeMs: number;
  secondInvokeMs: number;
  /** CPU milliseconds of the child (user + system): less sensitive to a loaded machine than wall time. */
  cpu: { bootstrapMs: number; moduleLoadMs: number; firstInvokeMs: number };
  /** A warm invocation (median of the runs' medians): wall and CPU ms, bytes written to stdout and stderr (logs, EMF). */
  warm: { wallMs: number; cpuMs: number; logBytes: number };
}

export interface ColdStartResult {
  bundles: { function: FunctionName; bytes: number }[];
  runs: number;
  store: string;
  nodeBaseline: { wallMs: number; cpuMs: number };
  /** Every function as deployed; the authorizer's first request is an issued ES256 token. */
  functions: ({ function: FunctionName; firstRequest: string } & ColdStartFigures)[];
  /** The authorizer bundle with one setting changed from the deployed one. */
  levers: ({ lever: string; bytes: number } & ColdStartFigures)[];
  /** DynamoDB calls of a container's first and second authorizer request (fresh caches, warm SDK client). */
  firstRequestCalls: { row: Row; first: DynamoCalls; second: DynamoCalls }[];
}

const ROOT = path.resolve(__dirname, '..');
const RESULT_MARK = 'BENCH_RESULT ';
/** Warm invocations after the first two, for the per-invocation figures of the cost table. */
const WARM_INVOCATIONS = 30;

/** Runs in the child: process start is performance.timeOrigin, so now() is "ms since start". */
const RUNNER = `'use strict';
const MARK = ${JSON.stringify(RESULT_MARK)};
const WARM = ${WARM_INVOCATIONS};
const { performance } = require('node:perf_hooks');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
// What the handler writes to stdout and stderr (log lines, EMF metrics, warnings): CloudWatch Logs ingests both in Lambda.
let logBytes = 0;
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => { logBytes += Buffer.byteLength(chunk); return write(chunk, ...rest); };
const writeErr = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => { logBytes += Buffer.byteLength(chunk); return writeErr(chunk, ...rest); };
const t0 = performance.now(), c0 = cpu();
const mod = require(process.argv[2]);
const t1 = performance.now(), c1 = cpu();
const [e1, e2] = JSON.parse(process.env.BENCH_EVENTS);
const ok = (r) => r !== null && typeof r === 'object' && (r.policyDocument ? r.policyDocument.Statement[0].Effect === 'Allow' : r.statusCode === 200);
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
(async () => {
  const r1 = await mod.handler(e1);
  const t2 = performance.now(), c2 = cpu();
  const r2 = await mod.handler(e2);
  const t3 = performance.now();
  // Warm invocations of the second event: per-invocation wall and CPU time, and log bytes.
  const wall = [], used = [];
  let bytes = 0;
  for (let i = 0; i < WARM; i++) {
    const w = performance.now(), c = cpu(), b = logBytes;
    const r = await mod.handler(e2);
    wall.push(performance.now() - w); used.push(cpu() - c); bytes += logBytes - b;
    if (!ok(r)) throw new Error('warm invocation failed: ' + JSON.stringify(r).slice(0, 300));
  }
  const warm = { wallMs: median(wall), cpuMs: median(used), logBytes: bytes / WARM };
  // Own line with a marker: the handler writes its logs and EMF metrics to stdout too, as in Lambda.
  write('\\n' + MARK + JSON.stringify({ t0, t1, t2, t3, c0, c1, c2, warm, ok: [ok(r1), ok(r2)], answers: [r1, r2].map((r) => JSON.stringify(r).slice(0, 300)) }) + '\\n');
  process.exit(0);
})().catch((err) => { console.error(err); process.exit(1); });
`;

/** One setting changed from the deployed bundle; `nodeOptions` for run-time flags. */
interface BundleVariant {
  lever: string;
  esbuild?: Partial<BuildOptions>;
  nodeOptions?: string;
}

/** LAMBDA_ESBUILD's aliases, resolved from the project root as CDK resolves them. */
const deployedAlias = (): Record<string, string> =>
  Object.fromEntries(Object.entries(LAMBDA_ESBUILD.alias).map(([from, to]) => [from, path.join(ROOT, to)]));

function esbuildOptions(entry: string, outfile: string, variant: BundleVariant = { lever: 'as deployed' }): BuildOptions {
  return {
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    mainFields: [...LAMBDA_ESBUILD.mainFields],
    keepNames: LAMBDA_ESBUILD.keepNames,
    alias: deployedAlias(),
    logLevel: 'error',
    ...variant.esbuild,
  };
}

export async function bundleFunctions(outDir: string): Promise<{ function: FunctionName; bytes: number; file: string }[]> {
  const out: { function: FunctionName; bytes: number; file: string }[] = [];
  for (const [name, spec] of Object.entries(FUNCTIONS) as [FunctionName, (typeof FUNCTIONS)[FunctionName]][]) {
    const file = path.join(outDir, name, 'index.js');
    await build(esbuildOptions(spec.entry, file));
    out.push({ function: name, bytes: statSync(file).size, file });
  }
  return out;
}

function levers(outDir: string): BundleVariant[] {
  const emptyModule = path.join(outDir, 'empty-module.cjs');
  writeFileSync(emptyModule, 'module.exports = {};\n');
  const cjs = ['main', 'module']; // esbuild's (and CDK's) default order for platform node
  return [
    { lever: 'as deployed' },
    { lever: 'SDK CommonJS builds (mainFields main,module)', esbuild: { mainFields: cjs } },
    // The user-agent parser is required lazily inside @aws-sdk/core: only its bytes can cost.
    { lever: 'SDK CommonJS builds, bowser stubbed out', esbuild: { mainFields: cjs, alias: { ...deployedAlias(), bowser: emptyModule } } },
    { lever: 'with NODE_OPTIONS=--enable-source-maps', nodeOptions: '--enable-source-maps' },
    { lever: 'without keepNames', esbuild: { keepNames: false } },
  ];
}

function resultLine(stdout: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
  if (!line) throw new Error(`cold start: no result from the runner; stdout: ${stdout.slice(0, 500)}`);
  return line.slice(RESULT_MARK.length);
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited with ${code}`));
      else resolve({ ms, stdout });
    });
  });
}

const round1 = (n: number) => Math.round(n * 10) / 10;

interface Sample {
  wall: number;
  t0: number;
  t1: number;
  t2: number;
  t3: number;
  c0: number;
  c1: number;
  c2: number;
  warm: { wallMs: number; cpuMs: number; logBytes: number };
}

function figures(samples: readonly Sample[], baselineMs: number): ColdStartFigures {
  const m = (f: (s: Sample) => number) => round1(median(samples.map(f)));
  const m2 = (f: (s: Sample) => number) => Math.round(median(samples.map(f)) * 1000) / 1000;
  const firstAnswerMs = m((s) => s.wall);
  return {
    firstAnswerMs,
    overheadMs: round1(firstAnswerMs - baselineMs),
    bootstrapMs: m((s) => s.t0),
    moduleLoadMs: m((s) => s.t1 - s.t0),
    firstInvokeMs: m((s) => s.t2 - s.t1),
    secondInvokeMs: m((s) => s.t3 - s.t2),
    cpu: { bootstrapMs: m((s) => s.c0), moduleLoadMs: m((s) => s.c1 - s.c0), firstInvokeMs: m((s) => s.c2 - s.c1) },
    warm: {
      wallMs: m2((s) => s.warm.wallMs),
      cpuMs: m2((s) => s.warm.cpuMs),
      logBytes: Math.round(median(samples.map((s) => s.warm.logBytes))),
    },
  };
}

function request(method: string, requestPath: string, headers: Record<string, string>, body?: string): LocalRequest {
  return {
    requestId: 'bench-cold-start',
    requestTimeEpoch: Date.now(),
    stage: STAGE,
    apiId: 'bench',
    method,
    path: requestPath,
    query: '',
    rawHeaders: Object.entries(headers).flat(),
    body: body === undefined ? undefined : Buffer.from(body, 'utf8'),
    sourceIp: '127.0.0.1',
    domainName: 'bench.execute-api.local',
  };
}

/** Each function's first and second event: the request a fresh container would meet first. */
async function functionEvents(world: StoreWorld): Promise<Record<FunctionName, { firstRequest: string; events: [unknown, unknown] }>> {
  const authorizer = createAuthorizer({
    verifyToken: world.deps.verifyToken,
    clientDirectory: world.deps.clientDirectory,
    metrics: world.deps.metrics,
  });
  const allowed = await authorizer(authorizerEvent(world.cases['HS256 client'].token));
  const context = allowed.context;
  const json = { 'content-type': 'application/json' };
  const tokenBody = JSON.stringify({
    clientName: 'bench-hs',
    clientSecret: world.secret.toString('utf8'),
    userInfo: { plan: 'pro' },
    sub: 'user-42',
  });
  const proxy = (
    method: string,
    resource: string,
    requestPath: string,
    params: Record<string, string> = {},
    headers: Record<string, string> = {},
    body?: string,
    caller = {},
  ) => buildProxyEvent(request(method, requestPath, headers, body), { resource, pathParameters: params }, context, caller);
  const jwks = proxy('GET', '/.well-known/jwks.json', '/.well-known/jwks.json');
  const verify = proxy('GET', '/v1/auth/verify', '/v1/auth/verify', {}, { authorization: `Bearer ${world.cases['HS256 client'].token}` });
  const token = proxy('POST', '/authtoken', '/authtoken', {}, json, tokenBody);
  const operator = { userArn: 'arn:aws:iam::000000000000:user/bench' };
  const getClient = proxy(
    'GET',
    '/admin/clients/{clientName}',
    '/admin/clients/bench-hs',
    { clientName: 'bench-hs' },
    {},
    undefined,
    operator,
  );
  // A session read that issues a WorkoutKitToken: signs with the deployment key and writes the token's record.
  await seedDemoCatalogue(world.deps.doc, world.env.TABLE_NAME);
  const sessionRead = proxy(
    'GET',
    '/v1/{clientName}/sessions/{sessionId}',
    '/v1/bench-hs/sessions/hiit-20-core',
    { clientName: 'bench-hs', sessionId: 'hiit-20-core' },
    { authorization: `Bearer ${world.cases['HS256 client'].token}`, 'x-workoutkit-device': 'device-bench-cold-start' },
  );
  return {
    authorizer: {
      firstRequest: 'ES256 issued token, then HS256 client token',
      events: [authorizerEvent(world.cases['ES256 issued'].token), authorizerEvent(world.cases['HS256 client'].token)],
    },
    authtoken: { firstRequest: 'POST /authtoken (client secret)', events: [token, token] },
    api: { firstRequest: 'GET /v1/auth/verify (HS256 caller)', events: [verify, verify] },
    session: {
      firstRequest: 'GET /v1/{clientName}/sessions/{sessionId} with a device (issues a WorkoutKitToken)',
      events: [sessionRead, sessionRead],
    },
    admin: { firstRequest: 'GET /admin/clients/{clientName}', events: [getClient, getClient] },
    public: { firstRequest: 'GET /.well-known/jwks.json', events: [jwks, jwks] },
  };
}

/** A fresh container's caches (new Deps) over the already warm SDK client: its reads, counted. */
async function firstRequestCalls(world: StoreWorld): Promise<ColdStartResult['firstRequestCalls']> {
  const counter = countDynamoCalls(world.deps.doc);
  const out: ColdStartResult['firstRequestCalls'] = [];
  for (const row of ROWS) {
    const deps = buildDeps(world.env, { doc: world.deps.doc, metrics: world.deps.metrics });
    const authorizer = createAuthorizer(deps);
    const event = authorizerEvent(world.cases[row].token);
    counter.reset();
    await authorizer(event);
    const first = counter.snapshot();
    counter.reset();
    await authorizer(event);
    out.push({ row, first, second: counter.snapshot() });
  }
  return out;
}

export async function runColdStart(options: { runs: number }, progress: (line: string) => void): Promise<ColdStartResult> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'wk-bundles-'));
  const world = await storeWorld();
  try {
    progress('cold start: bundling');
    const bundles = await bundleFunctions(outDir);
    const variants = levers(outDir);
    const leverBundles: { variant: BundleVariant; file: string; bytes: number }[] = [];
    for (const [i, variant] of variants.entries()) {
      const file = path.join(outDir, `lever-${i}`, 'index.js');
      await build(esbuildOptions(FUNCTIONS.authorizer.entry, file, variant));
      leverBundles.push({ variant, file, bytes: statSync(file).size });
    }
    const runner = path.join(outDir, 'runner.cjs');
    writeFileSync(runner, RUNNER);
    const { env: re } = world;
    const baseEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      TENANT: re.TENANT,
      STAGE: re.STAGE,
      TABLE_NAME: re.TABLE_NAME,
      KEYRING: re.KEYRING,
      LOCAL_KEY_FILE: re.LOCAL_KEY_FILE,
      DYNAMODB_ENDPOINT: re.DYNAMODB_ENDPOINT,
      AUTHORIZER_CACHE_TTL: re.AUTHORIZER_CACHE_TTL,
      ISSUER: re.ISSUER,
      POWERTOOLS_SERVICE_NAME: 'workoutkit-gateway',
    };
    const events = await functionEvents(world);
    const runOnce = async (file: string, fn: FunctionName, nodeOptions?: string): Promise<Sample> => {
      const env = { ...baseEnv, BENCH_EVENTS: JSON.stringify(events[fn].events), ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) };
      const run = await timeProcess([runner, file], env);
      const r = JSON.parse(resultLine(run.stdout)) as Omit<Sample, 'wall'> & { ok: boolean[]; answers: string[] };
      if (r.ok.some((ok) => !ok)) throw new Error(`cold start ${fn}: expected Allow / 200, got ${r.answers.join(' | ')}`);
      return { wall: run.ms, t0: r.t0, t1: r.t1, t2: r.t2, t3: r.t3, c0: r.c0, c1: r.c1, c2: r.c2, warm: r.warm };
    };
    const baseline: number[] = [];
    const baselineCpu: number[] = [];
    const perFunction = new Map<FunctionName, Sample[]>(bundles.map((b) => [b.function, []]));
    const perLever = leverBundles.map(() => [] as Sample[]);
    progress(`cold start: ${options.runs} runs of each function and of ${variants.length} authorizer levers`);
    for (let i = 0; i < options.runs; i++) {
      // Interleaved, so machine noise hits every variant alike.
      baseline.push((await timeProcess(['-e', '0'], { PATH: process.env.PATH })).ms);
      const own = await timeProcess(['-e', 'const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000))'], {
        PATH: process.env.PATH,
      });
      baselineCpu.push(Number(own.stdout));
      for (const b of bundles) perFunction.get(b.function)?.push(await runOnce(b.file, b.function));
      for (const [j, lb] of leverBundles.entries()) perLever[j]?.push(await runOnce(lb.file, 'authorizer', lb.variant.nodeOptions));
    }
    const nodeBaseline = { wallMs: round1(median(baseline)), cpuMs: round1(median(baselineCpu)) };
    progress('cold start: DynamoDB calls of a first request');
    return {
      bundles: bundles.map(({ function: f, bytes }) => ({ function: f, bytes })),
      runs: options.runs,
      store: storeLabel(),
      nodeBaseline,
      functions: bundles.map((b) => ({
        function: b.function,
        firstRequest: events[b.function].firstRequest,
        ...figures(perFunction.get(b.function) ?? [], nodeBaseline.wallMs),
      })),
      levers: leverBundles.map((lb, j) => ({
        lever: lb.variant.lever,
        bytes: lb.bytes,
        ...figures(perLever[j] ?? [], nodeBaseline.wallMs),
      })),
      firstRequestCalls: await firstRequestCalls(world),
    };
  } finally {
    await world.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
