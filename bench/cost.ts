/**
 * What a million authenticated requests cost in AWS, from this run's own figures and the
 * checked-in price list (bench/prices.json): GET /v1/auth/verify with an issued token, at
 * authorizer-cache hit ratios of 0, 90 and 99 %.
 *
 * - API Gateway REST: one request each.
 * - authorizer Lambda, on cache misses only: its warm CPU per invocation (cold-start section, the
 *   deployed bundle, EMF line included) stretched to the stack's memory size, billed in whole ms.
 * - handler Lambda (`api`): its warm CPU per invocation (cold-start section, the deployed bundle)
 *   stretched likewise, plus the DynamoDB round trips it waits for one after another (counted
 *   by the e2e section) at an assumed in-region latency, billed in whole ms.
 * - DynamoDB: the read and write request units per request as DynamoDB Local reported them
 *   (e2e section: cache on = handler only; cache off minus cache on = the authorizer's share).
 * - CloudWatch Logs: the bytes each function wrote per warm invocation (logs and EMF), Lambda's
 *   own lines per invocation, and the access log line of the stack's format.
 * - X-Ray: the default sampling rule's share of requests.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
 */
import prices from './prices.json';
import type { ColdStartResult } from './cold-start';
import type { CoreRow } from './core';
import type { EndToEndResult } from './e2e';
import { FUNCTIONS } from '../lambdas/gateway/routes';
import { ACCESS_LOG_FIELDS } from '../lib/stage-api';

export const HIT_RATIOS = [0, 0.9, 0.99] as const;
const ROW = 'ES256 issued';

export interface CostLine {
  item: string;
  /** How the per-request quantity was obtained. */
  basis: string;
  /** USD per million requests at each hit ratio of HIT_RATIOS. */
  usd: number[];
}

export interface CostTable {
  region: string;
  priceListCompiled: string;
  route: string;
  lines: CostLine[];
  total: number[];
  dominant: string;
}

/** Representative values for the access log format (a UUID request id, an IPv4 address, a short user agent). */
function accessLogBytes(): number {
  const sample: Record<string, string> = {
    requestId: '6d6a3f9e-3c1b-4f7e-9b55-0c2d8f1a7e42',
    extendedRequestId: 'Ab1CdEfGhIjKlMn=',
    requestTime: '1764633600000',
    ip: '203.0.113.10',
    userAgent: 'okhttp/4.12.0',
    method: 'GET',
    resourcePath: '/v1/auth/verify',
    status: '200',
    responseType: '-',
    latency: '42',
    integrationLatency: '38',
    authorizerLatency: '-',
    clientName: 'acme-app',
    authError: '-',
    apiKeyId: 'a1b2c3d4e5',
    caller: '-',
  };
  const line = JSON.stringify(Object.fromEntries(Object.keys(ACCESS_LOG_FIELDS).map((k) => [k, sample[k] ?? '-'])));
  return Buffer.byteLength(line) + 26; // CloudWatch Logs counts 26 bytes per event
}

function billedMs(cpuMs: number, memoryMb: number, roundTrips: number): number {
  const stretch = Math.max(1, prices.assumptions.lambdaFullVcpuMemoryMb.value / memoryMb);
  return Math.max(1, Math.ceil(cpuMs * stretch + roundTrips * prices.assumptions.dynamodbRoundTripMs.value));
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function costTable(core: readonly CoreRow[] | undefined, cold: ColdStartResult, e2e: EndToEndResult): CostTable {
  const verify = (cache: 'on' | 'off') =>
    e2e.runs.find(
      (r) => r.name === `GET /v1/auth/verify ${ROW}` && (cache === 'off' ? r.authorizerCache === 'off' : r.authorizerCache !== 'off'),
    );
  const on = verify('on');
  const off = verify('off');
  if (!on || !off) throw new Error(`cost: the e2e section has no ${ROW} runs`);
  const api = cold.functions.find((f) => f.function === 'api');
  const authorizerCold = cold.functions.find((f) => f.function === 'authorizer');
  if (!api || !authorizerCold) throw new Error('cost: the cold-start section has no api or authorizer figures');
  // The deployed bundle's warm invocation (EMF line included); the core section's in-process
  // handler (no EMF) is the lower bound, shown beside it.
  const coreOps = core?.find((r) => r.row === ROW)?.opsPerSecond['handler (store)'];
  const authorizerCpuMs = authorizerCold.warm.cpuMs;
  const authorizerMs = billedMs(authorizerCpuMs, FUNCTIONS.authorizer.memorySize, 0);
  const handlerMs = billedMs(api.warm.cpuMs, FUNCTIONS.api.memorySize, on.dynamoPerRequest.sequential);
  const gbSeconds = (ms: number, mb: number) => (ms / 1000) * (mb / 1024);
  const misses = (h: number) => 1 - h;
  const perM = (usdPerUnit: number, units: (h: number) => number) => HIT_RATIOS.map((h) => round(units(h) * usdPerUnit * 1e6));
  const authRru = Math.max(0, off.dynamoPerRequest.readUnits - on.dynamoPerRequest.readUnits);
  const authWru = Math.max(0, off.dynamoPerRequest.writeUnits - on.dynamoPerRequest.writeUnits);
  const logBytes = (h: number) =>
    accessLogBytes() +
    api.warm.logBytes +
    prices.assumptions.lambdaPlatformLogBytesPerInvocation.value +
    misses(h) * (authorizerCold.warm.logBytes + prices.assumptions.lambdaPlatformLogBytesPerInvocation.value);
  const lines: CostLine[] = [
    { item: 'API Gateway REST', basis: '1 request', usd: perM(prices.apiGatewayRestPerMillion.usd / 1e6, () => 1) },
    {
      item: 'Lambda authorizer (requests + duration)',
      basis: `on misses: ${round(authorizerCpuMs)} ms CPU (bundle, EMF included${coreOps ? `; in-process handler ${round(1000 / coreOps)} ms` : ''}) → ${authorizerMs} ms billed at ${FUNCTIONS.authorizer.memorySize} MB`,
      usd: perM(
        1,
        (h) =>
          misses(h) *
          (prices.lambdaRequestsPerMillion.usd / 1e6 +
            gbSeconds(authorizerMs, FUNCTIONS.authorizer.memorySize) * prices.lambdaArmPerGbSecond.usd),
      ),
    },
    {
      item: 'Lambda handler `api` (requests + duration)',
      basis: `${api.warm.cpuMs} ms CPU + ${on.dynamoPerRequest.sequential} DynamoDB round trips × ${prices.assumptions.dynamodbRoundTripMs.value} ms → ${handlerMs} ms billed at ${FUNCTIONS.api.memorySize} MB`,
      usd: perM(
        1,
        () => prices.lambdaRequestsPerMillion.usd / 1e6 + gbSeconds(handlerMs, FUNCTIONS.api.memorySize) * prices.lambdaArmPerGbSecond.usd,
      ),
    },
    {
      item: 'DynamoDB reads',
      basis: `${on.dynamoPerRequest.readUnits} RRU (handler) + ${round(authRru)} RRU per authorizer run`,
      usd: perM(prices.dynamodbReadRequestUnitsPerMillion.usd / 1e6, (h) => on.dynamoPerRequest.readUnits + misses(h) * authRru),
    },
    {
      item: 'DynamoDB writes (quota counting)',
      basis: `${on.dynamoPerRequest.writeUnits} WRU (handler) + ${round(authWru)} WRU per authorizer run`,
      usd: perM(prices.dynamodbWriteRequestUnitsPerMillion.usd / 1e6, (h) => on.dynamoPerRequest.writeUnits + misses(h) * authWru),
    },
    {
      item: 'CloudWatch Logs ingestion (logs, EMF, access log)',
      basis: `${accessLogBytes()} B access log + ${api.warm.logBytes} B handler + ${authorizerCold.warm.logBytes} B authorizer per run + ${prices.assumptions.lambdaPlatformLogBytesPerInvocation.value} B Lambda lines per invocation`,
      usd: perM(prices.cloudwatchLogsIngestionPerGb.usd / 1024 ** 3, logBytes),
    },
    {
      item: 'X-Ray traces',
      basis: `${prices.assumptions.xraySampledShare.value * 100} % of requests sampled`,
      usd: perM(prices.xrayTracesPerMillion.usd / 1e6, () => prices.assumptions.xraySampledShare.value),
    },
  ];
  const total = HIT_RATIOS.map((_, i) => round(lines.reduce((sum, l) => sum + (l.usd[i] ?? 0), 0)));
  const dominant = [...lines].sort((a, b) => (b.usd[1] ?? 0) - (a.usd[1] ?? 0))[0]?.item ?? '';
  return { region: prices.region, priceListCompiled: prices.compiled, route: `GET /v1/auth/verify, ${ROW} token`, lines, total, dominant };
}
