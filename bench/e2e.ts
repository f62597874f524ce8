/**
 * End to end: the local gateway in its own process, autocannon in this one (2 cores: one
 * each), for GET /v1/auth/verify with each token kind, with the authorizer cache as
 * deployed (60 s) and off (the authorizer runs on every request), and for POST /authtoken,
 * with the DynamoDB calls each request made (counted in the gateway process, bench/dynamo-calls.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import type { DynamoCalls } from './dynamo-calls';
import type { E2eServerInfo } from './e2e-server';

export interface EndToEndRun {
  name: string;
  authorizerCache: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** DynamoDB calls per request, with the caches as the load run left them (callsPerRequest). */
  dynamoPerRequest: DynamoCalls;
}

export interface EndToEndResult {
  store: string;
  connections: number;
  durationSeconds: number;
  runs: EndToEndRun[];
}

export interface Server {
  info: E2eServerInfo;
  child: ChildProcess;
  /** Zeroes the gateway process's DynamoDB call count. */
  resetCalls(): void;
  calls(): Promise<DynamoCalls>;
}

export async function startServer(ttlSeconds: number): Promise<Server> {
  const tsx = path.resolve(__dirname, '..', 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [path.join(__dirname, 'e2e-server.ts'), String(ttlSeconds)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`gateway process exited with ${code}`));
      child.once('exit', onExit);
      lines.once('line', (line) => {
        child.off('exit', onExit);
        resolve(line);
      });
    });
  const info = JSON.parse(await next()) as E2eServerInfo;
  const send = (command: string) => child.stdin?.write(`${command}\n`);
  return {
    info,
    child,
    resetCalls: () => send('reset'),
    calls: async () => {
      const answer = next();
      send('calls');
      return JSON.parse(await answer) as DynamoCalls;
    },
  };
}

export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function load(
  server: Server,
  url: string,
  options: { connections: number; duration: number; method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
) {
  // A short warm-up, so JIT and the authorizer cache are in the state a warm gateway is in.
  await autocannon({
    url,
    connections: 4,
    amount: 200,
    method: options.method ?? 'GET',
    headers: options.headers,
    ...(options.body ? { body: options.body } : {}),
  });
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.duration,
    method: options.method ?? 'GET',
    headers: options.headers,
    ...(options.body ? { body: options.body } : {}),
  });
  return { result, calls: await callsPerRequest(server, url, options) };
}

const PROBE_REQUESTS = 20;

/**
 * DynamoDB calls per request, exactly: once the load run's requests have drained, a few
 * requests one after another, in the state the load left (caches warm, as in a warm container).
 * Under load the count would also hold the calls of requests still in flight when the run ends.
 */
async function callsPerRequest(
  server: Server,
  url: string,
  options: { method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
): Promise<DynamoCalls> {
  let before = await server.calls();
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await server.calls();
    if (now.reads + now.writes === before.reads + before.writes) break;
    before = now;
  }
  server.resetCalls();
  for (let i = 0; i < PROBE_REQUESTS; i++) {
    const res = await fetch(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      ...(options.body ? { body: options.body } : {}),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${options.method ?? 'GET'} ${url}: ${res.status} while counting DynamoDB calls`);
  }
  const calls = await server.calls();
  const per = (n: number) => Math.round((n / PROBE_REQUESTS) * 1000) / 1000;
  return {
    ...calls,
    reads: per(calls.reads),
    writes: per(calls.writes),
    sequential: per(calls.sequential),
    readUnits: per(calls.readUnits),
    writeUnits: per(calls.writeUnits),
    byOperation: Object.fromEntries(Object.entries(calls.byOperation).map(([op, n]) => [op, per(n)])),
  };
}

export async function runEndToEnd(
  options: { durationSeconds: number; connections: number },
  progress: (line: string) => void,
): Promise<EndToEndResult> {
  const runs: EndToEndRun[] = [];
  let store = '';
  for (const ttl of [60, 0]) {
    const server = await startServer(ttl);
    const { info, child } = server;
    store = info.store;
    try {
      const targets: { name: string; url: string; method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string }[] =
        Object.entries(info.tokens).map(([kind, token]) => ({
          name: `GET /v1/auth/verify ${kind}`,
          url: `${info.baseUrl}/v1/auth/verify`,
          headers: { authorization: `Bearer ${token}` },
        }));
      if (ttl > 0) {
        targets.push({
          name: 'POST /authtoken',
          url: `${info.baseUrl}/authtoken`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: info.authtokenBody,
        });
      }
      for (const t of targets) {
        progress(`e2e: ${t.name}, authorizer cache ${ttl} s`);
        const { result: r, calls } = await load(server, t.url, {
          connections: options.connections,
          duration: options.durationSeconds,
          headers: t.headers,
          ...(t.method ? { method: t.method } : {}),
          ...(t.body ? { body: t.body } : {}),
        });
        runs.push({
          name: t.name,
          authorizerCache: t.name.startsWith('POST') ? 'n/a' : ttl > 0 ? `${ttl} s` : 'off',
          requestsPerSecond: Math.round(r.requests.average),
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          errors: r.errors,
          non2xx: r.non2xx,
          dynamoPerRequest: calls,
        });
      }
    } finally {
      await stopServer(child);
    }
  }
  return { store, connections: options.connections, durationSeconds: options.durationSeconds, runs };
}
