/**
 * Throughput measurement for the benchmark: each case runs in timed batches, the cases
 * of one row take turns round after round (so a noisy neighbour on a shared machine hits
 * them alike), and the median round is kept.
 */
import { performance } from 'node:perf_hooks';

export type Op = () => unknown;

export interface Timing {
  rounds: number;
  /** Milliseconds per round per case. */
  roundMs: number;
  /**
   * `cpu`: ops per CPU-second of this process (user + system), so time the machine gives to
   * other work does not count; thread-pool CPU (jose's WebCrypto) is counted, its idle wait
   * is not. `wall`: ops per elapsed second.
   */
  clock: 'wall' | 'cpu';
}

// Many short rounds rather than a few long ones: on a shared machine a burst of load then
// spoils a round or two, and the median (of ops/s and of each round's ratio) drops them.
export const FULL_TIMING: Timing = { rounds: 21, roundMs: 60, clock: 'cpu' };
export const QUICK_TIMING: Timing = { rounds: 7, roundMs: 30, clock: 'cpu' };

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs `n` calls; an op that returns a promise is awaited before the next call, as a
 * Lambda awaits its handler. Sync ops stay in a tight loop (no microtask per call).
 */
async function batch(op: Op, n: number, isAsync: boolean, clock: 'wall' | 'cpu' = 'wall'): Promise<number> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  if (isAsync) for (let i = 0; i < n; i++) await op();
  else for (let i = 0; i < n; i++) op();
  if (clock === 'wall') return performance.now() - wall;
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000;
}

export interface Comparison {
  /** Median ops/s of each case. */
  opsPerSecond: Record<string, number>;
  /** Median over rounds of each case's ops/s divided by the baseline's in the same round, in percent. */
  percentOfBaseline: Record<string, number>;
}

/** Runs the cases in `timing.rounds` interleaved rounds; `baseline` names the case ratios refer to. */
export async function compare(cases: Readonly<Record<string, Op>>, baseline: string, timing: Timing): Promise<Comparison> {
  const plan: { name: string; op: Op; isAsync: boolean; n: number; samples: number[] }[] = [];
  for (const [name, op] of Object.entries(cases)) {
    const first = op();
    const isAsync = first instanceof Promise;
    if (isAsync) await first;
    // Warm up (JIT, caches), then size a batch to roughly roundMs.
    let n = 16;
    let ms: number;
    for (;;) {
      ms = await batch(op, n, isAsync);
      if (ms >= 40 || n >= 1 << 22) break;
      n *= 2;
    }
    plan.push({ name, op, isAsync, n: Math.max(1, Math.round((n * timing.roundMs) / ms)), samples: [] });
  }
  for (let r = 0; r < timing.rounds; r++) {
    for (const p of plan) p.samples.push((p.n * 1000) / (await batch(p.op, p.n, p.isAsync, timing.clock)));
  }
  const base = plan.find((p) => p.name === baseline);
  if (!base) throw new Error(`no baseline case ${baseline}`);
  return {
    opsPerSecond: Object.fromEntries(plan.map((p) => [p.name, Math.round(median(p.samples))])),
    percentOfBaseline: Object.fromEntries(
      plan.map((p) => [p.name, Math.round(10 * median(p.samples.map((v, i) => (100 * v) / (base.samples[i] as number)))) / 10]),
    ),
  };
}
