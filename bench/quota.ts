/**
 * The cost of quota counting on the handler path, on the bench store (DynamoDB Local): the api
 * function's handler for GET /v1/auth/verify with counting (as deployed: the client's and the
 * deployment's counters) against the same handler without it, called one request at a time
 * (as a Lambda container serves them), interleaved in rounds so a burst of machine load hits
 * both. Reports the median and p99 handler latency of each, the DynamoDB calls per request
 * (bench/dynamo-calls.ts: reads, writes, sequential round trips), and the write rate the
 * hottest counter item took under a concurrent load (8 callers) against the 500 writes/s an
 * item may take (lambdas/core/quota.ts MAX_WRITES_PER_ITEM).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { toAuthorizerContext } from '../lambdas/core/auth-context';
import { MAX_WRITES_PER_ITEM } from '../lambdas/core/quota';
import { apiOperations } from '../lambdas/api/handler';
import { revocationCheck } from '../lambdas/runtime/caller-check';
import { httpHandler } from '../lambdas/runtime/http';
import { quotaMeter } from '../lambdas/runtime/quota-meter';
import { countDynamoCalls, type DynamoCalls } from './dynamo-calls';
import { BENCH_QUOTA_CONFIG, HS_CLIENT, storeWorld } from './fixtures';
import { median } from './measure';

export interface QuotaCostResult {
  store: string;
  requestsPerRound: number;
  rounds: number;
  withCounting: { p50Ms: number; p99Ms: number; dynamo: DynamoCalls };
  withoutCounting: { p50Ms: number; p99Ms: number; dynamo: DynamoCalls };
  addedP50Ms: number;
  addedWritesPerRequest: number;
  addedSequentialRoundTrips: number;
  /** 8 concurrent callers for `loadSeconds`: writes per second on the busiest counter item. */
  load: { callers: number; seconds: number; requests: number; hottestItemWritesPerSecond: number; maxWritesPerItem: number };
}

const p99 = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] as number;
};
const round2 = (n: number): number => Math.round(n * 100) / 100;

export async function runQuotaCost(
  options: { rounds: number; perRound: number; loadSeconds: number },
  progress: (line: string) => void,
): Promise<QuotaCostResult> {
  const world = await storeWorld();
  try {
    const deps = { ...world.deps, quotaConfig: BENCH_QUOTA_CONFIG };
    const operations = apiOperations(deps);
    const counted = httpHandler('api', operations, { clock: deps.clock, checkCaller: revocationCheck(deps), admit: quotaMeter(deps) });
    const uncounted = httpHandler('api', operations, { clock: deps.clock, checkCaller: revocationCheck(deps) });
    const nowS = Math.floor(Date.now() / 1000);
    const ctx = toAuthorizerContext({
      clientName: HS_CLIENT,
      scope: ['read'],
      tokenKind: 'client-hs256',
      alg: 'HS256',
      sub: 'user-42',
      issuedAt: nowS,
      expiresAt: nowS + 3600,
      jti: 'bench-jti',
    });
    const event = {
      resource: '/v1/auth/verify',
      path: '/v1/auth/verify',
      httpMethod: 'GET',
      headers: {},
      body: null,
      isBase64Encoded: false,
      pathParameters: null,
      queryStringParameters: null,
      requestContext: { authorizer: ctx },
    } as unknown as APIGatewayProxyEvent;
    const calls = countDynamoCalls(deps.doc);
    const call = async (h: typeof counted): Promise<number> => {
      const t = performance.now();
      const res = await h(event);
      if (res.statusCode !== 200) throw new Error(`verify answered ${res.statusCode}: ${res.body}`);
      return performance.now() - t;
    };
    // Warm both (client directory, connections).
    for (let i = 0; i < 20; i++) {
      await call(counted);
      await call(uncounted);
    }
    const samples = { with: [] as number[], without: [] as number[] };
    const perRequest = async (h: typeof counted): Promise<DynamoCalls> => {
      calls.reset();
      for (let i = 0; i < 50; i++) await call(h);
      const c = calls.snapshot();
      const per = (n: number) => round2(n / 50);
      return {
        ...c,
        reads: per(c.reads),
        writes: per(c.writes),
        sequential: per(c.sequential),
        readUnits: per(c.readUnits),
        writeUnits: per(c.writeUnits),
        byOperation: Object.fromEntries(Object.entries(c.byOperation).map(([op, n]) => [op, per(n)])),
      };
    };
    const dynamoWith = await perRequest(counted);
    const dynamoWithout = await perRequest(uncounted);
    for (let r = 0; r < options.rounds; r++) {
      for (let i = 0; i < options.perRound; i++) samples.with.push(await call(counted));
      for (let i = 0; i < options.perRound; i++) samples.without.push(await call(uncounted));
      progress(`quota cost: round ${r + 1}/${options.rounds}`);
    }
    // Concurrent load: every request writes the client's counter item and the deployment's (one shard each here).
    const callers = 8;
    let requests = 0;
    const until = performance.now() + options.loadSeconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: callers }, async () => {
        while (performance.now() < until) {
          await call(counted);
          requests++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const result: QuotaCostResult = {
      store: world.store.kind === 'external' ? 'DynamoDB Local' : world.store.kind,
      requestsPerRound: options.perRound,
      rounds: options.rounds,
      withCounting: { p50Ms: round2(median(samples.with)), p99Ms: round2(p99(samples.with)), dynamo: dynamoWith },
      withoutCounting: { p50Ms: round2(median(samples.without)), p99Ms: round2(p99(samples.without)), dynamo: dynamoWithout },
      addedP50Ms: round2(median(samples.with) - median(samples.without)),
      addedWritesPerRequest: round2(dynamoWith.writes - dynamoWithout.writes),
      addedSequentialRoundTrips: round2(dynamoWith.sequential - dynamoWithout.sequential),
      load: {
        callers,
        seconds: round2(elapsed),
        requests,
        hottestItemWritesPerSecond: Math.round(requests / elapsed),
        maxWritesPerItem: MAX_WRITES_PER_ITEM,
      },
    };
    return result;
  } finally {
    await world.close();
  }
}
