/**
 * `npm run bench [-- --quick] [-- --only core,cold,quota,e2e,oracle]`: the authorizer against the
 * node:crypto floor and its peers, cold start, the cost of quota counting, the local gateway under load, and
 * whether the time of a refusal tells if a clientName exists. Prints tables and writes bench/results.json.
 * Targets are printed, never asserted.
 */
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CORE_COLUMNS, runCore, type CoreRow } from './core';
import { runColdStart, type ColdStartFigures, type ColdStartResult } from './cold-start';
import { costTable, HIT_RATIOS, type CostTable } from './cost';
import { startBenchDynamo } from './dynamo';
import { runEndToEnd, type EndToEndResult } from './e2e';
import { runClientOracle, type ClientOracleResult } from './client-oracle';
import { runQuotaCost, type QuotaCostResult } from './quota';
import { FULL_TIMING, QUICK_TIMING } from './measure';

type Section = 'core' | 'cold' | 'quota' | 'e2e' | 'oracle';

function parseArgs(argv: readonly string[]): { quick: boolean; only: Set<Section>; out: string } {
  const quick = argv.includes('--quick');
  const onlyAt = argv.indexOf('--only');
  const only = new Set<Section>(
    onlyAt >= 0 ? ((argv[onlyAt + 1] ?? '').split(',').filter(Boolean) as Section[]) : ['core', 'cold', 'quota', 'e2e', 'oracle'],
  );
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? (argv[outAt + 1] as string) : path.join(__dirname, 'results.json');
  return { quick, only, out };
}

function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(cells[0] as string[]), sep, ...cells.slice(1).map(line)].join('\n');
}

const k = (n: number | undefined) => (n === undefined ? '—' : n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(n));

function printCore(rows: readonly CoreRow[], store: string): void {
  console.log(`\nAuthorizer core: warm verifications/s (share of raw node:crypto); store: ${store}`);
  console.log(
    table(
      ['token', ...CORE_COLUMNS],
      rows.map((r) => [
        r.row,
        ...CORE_COLUMNS.map((c) => (r.opsPerSecond[c] === undefined ? '—' : `${k(r.opsPerSecond[c])} (${r.percentOfRaw[c]}%)`)),
      ]),
    ),
  );
  console.log(
    'targets: ours ≥80% of raw (RS256/ES256), ≥50% (HS256), ahead of aws-jwt-verify and fast-jwt; handler (store) ≥60% (HS256), ≥80% (RS256/ES256)',
  );
}

function printCold(c: ColdStartResult): void {
  console.log('\nBundles (esbuild as lib/bundled-function.ts: minified, cjs, node22, SDK ES module builds, SDK bundled)');
  console.log(
    table(
      ['function', 'bytes', 'KB'],
      c.bundles.map((b) => [b.function, b.bytes, (b.bytes / 1024).toFixed(1)]),
    ),
  );
  const cpu = (f: ColdStartFigures) => `${f.cpu.bootstrapMs} / ${f.cpu.moduleLoadMs} / ${f.cpu.firstInvokeMs}`;
  const headers = [
    'spawn → first answer',
    'over node -e 0',
    'bootstrap',
    'module load',
    '1st invoke',
    '2nd invoke',
    'CPU: boot / load / 1st',
    'warm: wall / CPU ms, log B',
  ];
  const warm = (f: ColdStartFigures) => `${f.warm.wallMs} / ${f.warm.cpuMs}, ${f.warm.logBytes}`;
  const cells = (f: ColdStartFigures) => [
    f.firstAnswerMs,
    f.overheadMs,
    f.bootstrapMs,
    f.moduleLoadMs,
    f.firstInvokeMs,
    f.secondInvokeMs,
    cpu(f),
    warm(f),
  ];
  console.log(
    `\nCold start, ms (median of ${c.runs} runs; ${c.store}); node -e 0: ${c.nodeBaseline.wallMs} ms wall, ${c.nodeBaseline.cpuMs} ms CPU`,
  );
  console.log(
    table(
      ['function (first request)', ...headers],
      c.functions.map((f) => [`${f.function} (${f.firstRequest})`, ...cells(f)]),
    ),
  );
  console.log('\nAuthorizer levers: the deployed bundle with one setting changed');
  console.log(
    table(
      ['authorizer bundle', 'bytes', ...headers],
      c.levers.map((l) => [l.lever, l.bytes, ...cells(l)]),
    ),
  );
  console.log("\nDynamoDB calls of a container's first authorizer request (fresh caches), then its second");
  console.log(
    table(
      ['token', 'reads', 'writes', 'sequential round trips', 'read units', 'second: reads'],
      c.firstRequestCalls.map((r) => [r.row, r.first.reads, r.first.writes, r.first.sequential, r.first.readUnits, r.second.reads]),
    ),
  );
  console.log('targets: authorizer spawn → first policy ≤ node -e 0 + 120 ms');
}

function printE2e(e: EndToEndResult): void {
  console.log(`\nEnd to end: local gateway (${e.store}), autocannon ${e.connections} connections × ${e.durationSeconds} s`);
  console.log(
    table(
      [
        'request',
        'authorizer cache',
        'req/s',
        'p50 ms',
        'p99 ms',
        'errors',
        'non-2xx',
        'DynamoDB reads/req',
        'writes/req',
        'RRU/req',
        'WRU/req',
      ],
      e.runs.map((r) => [
        r.name,
        r.authorizerCache,
        r.requestsPerSecond,
        r.p50Ms,
        r.p99Ms,
        r.errors,
        r.non2xx,
        r.dynamoPerRequest.reads,
        r.dynamoPerRequest.writes,
        r.dynamoPerRequest.readUnits,
        r.dynamoPerRequest.writeUnits,
      ]),
    ),
  );
  console.log('DynamoDB calls per request by operation:');
  for (const r of e.runs) {
    const ops = Object.entries(r.dynamoPerRequest.byOperation)
      .map(([op, n]) => `${op} ${n}`)
      .join(', ');
    console.log(`  ${r.name} (cache ${r.authorizerCache}): ${ops || 'none'}`);
  }
  console.log('target: /v1/auth/verify p99 ≤ 5 ms at 50 connections');
}

function printCost(c: CostTable): void {
  console.log(
    `\nCost per million authenticated requests, USD (${c.route}; ${c.region} list prices of ${c.priceListCompiled}, bench/prices.json)`,
  );
  const hits = HIT_RATIOS.map((h) => `${Math.round(h * 100)} % cache hits`);
  console.log(
    table(
      ['item', ...hits, 'per request'],
      [...c.lines.map((l) => [l.item, ...l.usd.map((u) => u.toFixed(3)), l.basis]), ['total', ...c.total.map((u) => u.toFixed(3)), '']],
    ),
  );
  console.log(`dominant line: ${c.dominant}`);
}

function printOracle(o: ClientOracleResult): void {
  console.log(`\nRefusal timing by clientName (local gateway, authorizer cache off): medians of ${o.samples} forged HS256 tokens each`);
  console.log(
    table(
      ['clientName', 'median ms'],
      [
        ['an existing client', o.existingMedianMs],
        ['a name no client has', o.unknownMedianMs],
        ['ratio existing / unknown', o.ratio],
      ],
    ),
  );
  console.log(`statuses: ${JSON.stringify(o.statuses)}; target: ratio close to 1 (measured, not asserted)`);
}

/** One row of the counting table: a handler's latency and its DynamoDB calls per request. */
function quotaRow(label: string, m: QuotaCostResult['withCounting']): (string | number)[] {
  const byOperation = Object.entries(m.dynamo.byOperation)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  return [label, m.p50Ms, m.p99Ms, m.dynamo.reads, m.dynamo.writes, m.dynamo.sequential, byOperation];
}

function printQuota(q: QuotaCostResult): void {
  console.log(
    `\nCost of quota counting: the api handler, GET /v1/auth/verify, one request at a time (${q.store}; ${q.rounds} rounds × ${q.requestsPerRound})`,
  );
  console.log(
    table(
      ['handler', 'p50 ms', 'p99 ms', 'DynamoDB reads/req', 'writes/req', 'sequential round trips/req', 'by operation'],
      [quotaRow('with counting', q.withCounting), quotaRow('without', q.withoutCounting)],
    ),
  );
  console.log(
    `counting adds ${q.addedWritesPerRequest} writes, ${q.addedSequentialRoundTrips} sequential round trips and ${q.addedP50Ms} ms (p50) per request`,
  );
  console.log(
    `counter writes on the busiest item under ${q.load.callers} concurrent callers: ${q.load.hottestItemWritesPerSecond}/s (${q.load.requests} requests in ${q.load.seconds} s; an item may take ${q.load.maxWritesPerItem}/s, tiers above that are sharded)`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const progress = (line: string) => process.stderr.write(`… ${line}\n`);
  const results: Record<string, unknown> = {
    machine: {
      nproc: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      loadAverageAtStart: loadavg().map((l) => Math.round(l * 10) / 10),
    },
    date: new Date().toISOString(),
    quick: args.quick,
  };
  const dynamo = await startBenchDynamo();
  results.store = dynamo.label;
  progress(`store: ${dynamo.label}`);
  if (args.only.has('core')) {
    const timing = args.quick ? QUICK_TIMING : FULL_TIMING;
    const core = await runCore(timing, progress);
    results.core = { timing, ...core };
    printCore(core.rows, core.store);
  }
  if (args.only.has('cold')) {
    const cold = await runColdStart({ runs: args.quick ? 3 : 7 }, progress);
    results.coldStart = cold;
    printCold(cold);
  }
  if (args.only.has('quota')) {
    const quota = await runQuotaCost(
      { rounds: args.quick ? 5 : 15, perRound: args.quick ? 20 : 40, loadSeconds: args.quick ? 3 : 8 },
      progress,
    );
    results.quotaCost = quota;
    printQuota(quota);
  }
  if (args.only.has('e2e')) {
    const e2e = await runEndToEnd({ durationSeconds: args.quick ? 3 : 10, connections: 50 }, progress);
    results.endToEnd = e2e;
    printE2e(e2e);
  }
  // From this run's figures only: needs the cold-start (per-invocation times, log bytes) and e2e (DynamoDB units) sections.
  if (results.coldStart && results.endToEnd) {
    const cost = costTable(
      (results.core as { rows: CoreRow[] } | undefined)?.rows,
      results.coldStart as ColdStartResult,
      results.endToEnd as EndToEndResult,
    );
    results.cost = cost;
    printCost(cost);
  }
  if (args.only.has('oracle')) {
    const oracle = await runClientOracle({ samples: 200 }, progress);
    results.clientOracle = oracle;
    printOracle(oracle);
  }
  (results.machine as Record<string, unknown>).loadAverageAtEnd = loadavg().map((l) => Math.round(l * 10) / 10);
  console.log(`\nmachine: ${JSON.stringify(results.machine)}`);
  dynamo.stop();
  writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), args.out)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
