/**
 * Cold start: every FUNCTIONS entry bundled as lib/bundled-function.ts has CDK bundle it
 * (esbuild, minified, cjs, node22, source map, AWS SDK bundled), then the authorizer bundle
 * run in a fresh `node` process (with NODE_OPTIONS=--enable-source-maps, as deployed) until
 * its first policy, first DynamoDB reads included, against the benchmark's DynamoDB (bench/dynamo.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { FUNCTIONS, type FunctionName } from '../lambdas/gateway/routes';
import { authorizerEvent } from './core';
import { storeLabel } from './dynamo';
import { storeWorld } from './fixtures';
import { median } from './measure';
import { LAMBDA_CREDENTIALS } from '../lib/bundled-function';

export interface ColdStartResult {
  bundles: { function: FunctionName; bytes: number }[];
  runs: number;
  store: string;
  nodeBaselineMs: number;
  firstPolicyMs: number;
  overheadMs: number;
  phases: { bootstrapMs: number; moduleLoadMs: number; firstInvokeMs: number; secondInvokeMs: number };
  /** CPU milliseconds of the child (user + system) per phase: less sensitive to a loaded machine than wall time. */
  cpu: { nodeBaselineMs: number; bootstrapMs: number; moduleLoadMs: number; firstInvokeMs: number };
  withoutSourceMaps: { firstPolicyMs: number; moduleLoadMs: number };
}

const ROOT = path.resolve(__dirname, '..');

const RESULT_MARK = 'BENCH_RESULT ';
/** Runs in the child: process start is performance.timeOrigin, so now() is "ms since start". */
const RUNNER = `'use strict';
const MARK = ${JSON.stringify(RESULT_MARK)};
const { performance } = require('node:perf_hooks');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t0 = performance.now(), c0 = cpu();
const mod = require(process.argv[2]);
const t1 = performance.now(), c1 = cpu();
const [e1, e2] = JSON.parse(process.env.BENCH_EVENTS);
mod.handler(e1).then((p1) => {
  const t2 = performance.now(), c2 = cpu();
  return mod.handler(e2).then((p2) => {
    const t3 = performance.now();
    const effects = [p1, p2].map((p) => p.policyDocument.Statement[0].Effect);
    // Own line with a marker: the handler writes its logs and EMF metrics to stdout too, as in Lambda.
    process.stdout.write('\\n' + MARK + JSON.stringify({ t0, t1, t2, t3, c0, c1, c2, effects }) + '\\n');
    process.exit(0);
  });
}).catch((err) => { console.error(err); process.exit(1); });
`;

export async function bundleFunctions(outDir: string): Promise<{ function: FunctionName; bytes: number; file: string }[]> {
  const out: { function: FunctionName; bytes: number; file: string }[] = [];
  for (const [name, spec] of Object.entries(FUNCTIONS) as [FunctionName, (typeof FUNCTIONS)[FunctionName]][]) {
    const file = path.join(outDir, name, 'index.js');
    await build({
      entryPoints: [path.join(ROOT, spec.entry)],
      outfile: file,
      bundle: true,
      minify: true,
      sourcemap: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      // As lib/bundled-function.ts: the environment credential provider instead of the full chain.
      alias: { '@aws-sdk/credential-provider-node': path.join(ROOT, LAMBDA_CREDENTIALS) },
      logLevel: 'error',
    });
    out.push({ function: name, bytes: statSync(file).size, file });
  }
  return out;
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

export async function runColdStart(options: { runs: number }, progress: (line: string) => void): Promise<ColdStartResult> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'wk-bundles-'));
  const world = await storeWorld();
  try {
    progress('cold start: bundling');
    const bundles = await bundleFunctions(outDir);
    const authorizer = bundles.find((b) => b.function === 'authorizer');
    if (!authorizer) throw new Error('no authorizer bundle');
    const runner = path.join(outDir, 'runner.cjs');
    writeFileSync(runner, RUNNER);
    const { env: re } = world;
    const baseEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      TENANT: re.TENANT, STAGE: re.STAGE, TABLE_NAME: re.TABLE_NAME, KEYRING: re.KEYRING,
      LOCAL_KEY_FILE: re.LOCAL_KEY_FILE, DYNAMODB_ENDPOINT: re.DYNAMODB_ENDPOINT, AUTHORIZER_CACHE_TTL: re.AUTHORIZER_CACHE_TTL,
      POWERTOOLS_SERVICE_NAME: 'workoutkit-gateway',
      BENCH_EVENTS: JSON.stringify([authorizerEvent(world.cases['ES256 issued'].token), authorizerEvent(world.cases['HS256 client'].token)]),
    };
    const baseline: number[] = [];
    const samples: { wall: number; t0: number; t1: number; t2: number; t3: number; c0: number; c1: number; c2: number }[] = [];
    const baselineCpu: number[] = [];
    const noMaps: { wall: number; load: number }[] = [];
    progress(`cold start: ${options.runs} runs each`);
    for (let i = 0; i < options.runs; i++) {
      // Interleaved, so machine noise hits both alike.
      baseline.push((await timeProcess(['-e', '0'], { PATH: process.env.PATH })).ms);
      const own = await timeProcess(['-e', 'const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000))'], { PATH: process.env.PATH });
      baselineCpu.push(Number(own.stdout));
      const run = await timeProcess([runner, authorizer.file], { ...baseEnv, NODE_OPTIONS: '--enable-source-maps' });
      const r = JSON.parse(resultLine(run.stdout)) as { t0: number; t1: number; t2: number; t3: number; c0: number; c1: number; c2: number; effects: string[] };
      if (r.effects.some((e) => e !== 'Allow')) throw new Error(`cold start: expected Allow, got ${r.effects.join(',')}`);
      samples.push({ wall: run.ms, ...r });
      const plain = await timeProcess([runner, authorizer.file], baseEnv);
      const p = JSON.parse(resultLine(plain.stdout)) as { t0: number; t1: number };
      noMaps.push({ wall: plain.ms, load: p.t1 - p.t0 });
    }
    const nodeBaselineMs = round1(median(baseline));
    const firstPolicyMs = round1(median(samples.map((s) => s.wall)));
    return {
      bundles: bundles.map(({ function: f, bytes }) => ({ function: f, bytes })),
      runs: options.runs,
      store: storeLabel(),
      nodeBaselineMs,
      firstPolicyMs,
      overheadMs: round1(firstPolicyMs - nodeBaselineMs),
      phases: {
        bootstrapMs: round1(median(samples.map((s) => s.t0))),
        moduleLoadMs: round1(median(samples.map((s) => s.t1 - s.t0))),
        firstInvokeMs: round1(median(samples.map((s) => s.t2 - s.t1))),
        secondInvokeMs: round1(median(samples.map((s) => s.t3 - s.t2))),
      },
      cpu: {
        nodeBaselineMs: round1(median(baselineCpu)),
        bootstrapMs: round1(median(samples.map((s) => s.c0))),
        moduleLoadMs: round1(median(samples.map((s) => s.c1 - s.c0))),
        firstInvokeMs: round1(median(samples.map((s) => s.c2 - s.c1))),
      },
      withoutSourceMaps: { firstPolicyMs: round1(median(noMaps.map((s) => s.wall))), moduleLoadMs: round1(median(noMaps.map((s) => s.load))) },
    };
  } finally {
    await world.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
