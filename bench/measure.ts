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
}

export const FULL_TIMING: Timing = { rounds: 7, roundMs: 150 };
export const QUICK_TIMING: Timing = { rounds: 3, roundMs: 60 };

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs `n` calls; an op that returns a promise is awaited before the next call, as a
 * Lambda awaits its handler. Sync ops stay in a tight loop (no microtask per call).
 */
async function batch(op: Op, n: number, isAsync: boolean): Promise<number> {
  const start = performance.now();
  if (isAsync) for (let i = 0; i < n; i++) await op();
  else for (let i = 0; i < n; i++) op();
  return performance.now() - start;
}

/** Ops/s of each case, median of `timing.rounds` interleaved rounds. */
export async function compare(cases: Readonly<Record<string, Op>>, timing: Timing): Promise<Record<string, number>> {
  const plan: { name: string; op: Op; isAsync: boolean; n: number; samples: number[] }[] = [];
  for (const [name, op] of Object.entries(cases)) {
    const first = op();
    const isAsync = first instanceof Promise;
    if (isAsync) await first;
    // Warm up (JIT, caches), then size a batch to roughly roundMs.
    let n = 16;
    let ms = 0;
    for (;;) {
      ms = await batch(op, n, isAsync);
      if (ms >= 40 || n >= 1 << 22) break;
      n *= 2;
    }
    plan.push({ name, op, isAsync, n: Math.max(1, Math.round((n * timing.roundMs) / ms)), samples: [] });
  }
  for (let r = 0; r < timing.rounds; r++) {
    for (const p of plan) p.samples.push((p.n * 1000) / (await batch(p.op, p.n, p.isAsync)));
  }
  return Object.fromEntries(plan.map((p) => [p.name, Math.round(median(p.samples))]));
}
