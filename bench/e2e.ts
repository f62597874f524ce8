/**
 * End to end: the local gateway in its own process, autocannon in this one (2 cores: one
 * each), for GET /v1/auth/verify with each token kind, with the authorizer cache as
 * deployed (60 s) and off (the authorizer runs on every request), and for POST /authtoken.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import type { E2eServerInfo } from './e2e-server';

export interface EndToEndRun {
  name: string;
  authorizerCache: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface EndToEndResult {
  store: string;
  connections: number;
  durationSeconds: number;
  runs: EndToEndRun[];
}

async function startServer(ttlSeconds: number): Promise<{ info: E2eServerInfo; child: ChildProcess }> {
  const tsx = path.resolve(__dirname, '..', 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [path.join(__dirname, 'e2e-server.ts'), String(ttlSeconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const info = await new Promise<E2eServerInfo>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway process exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as E2eServerInfo));
  });
  return { info, child };
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function load(url: string, options: { connections: number; duration: number; method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string }) {
  // A short warm-up, so JIT and the authorizer cache are in the state a warm gateway is in.
  await autocannon({ url, connections: 4, amount: 200, method: options.method ?? 'GET', headers: options.headers, ...(options.body ? { body: options.body } : {}) });
  return autocannon({ url, connections: options.connections, duration: options.duration, method: options.method ?? 'GET', headers: options.headers, ...(options.body ? { body: options.body } : {}) });
}

export async function runEndToEnd(options: { durationSeconds: number; connections: number }, progress: (line: string) => void): Promise<EndToEndResult> {
  const runs: EndToEndRun[] = [];
  let store = '';
  for (const ttl of [60, 0]) {
    const { info, child } = await startServer(ttl);
    store = info.store;
    try {
      const targets: { name: string; url: string; method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string }[] = Object.entries(info.tokens).map(
        ([kind, token]) => ({ name: `GET /v1/auth/verify ${kind}`, url: `${info.baseUrl}/v1/auth/verify`, headers: { authorization: `Bearer ${token}` } }),
      );
      if (ttl > 0) {
        targets.push({ name: 'POST /authtoken', url: `${info.baseUrl}/authtoken`, method: 'POST', headers: { 'content-type': 'application/json' }, body: info.authtokenBody });
      }
      for (const t of targets) {
        progress(`e2e: ${t.name}, authorizer cache ${ttl} s`);
        const r = await load(t.url, { connections: options.connections, duration: options.durationSeconds, headers: t.headers, ...(t.method ? { method: t.method } : {}), ...(t.body ? { body: t.body } : {}) });
        runs.push({
          name: t.name,
          authorizerCache: t.name.startsWith('POST') ? 'n/a' : ttl > 0 ? `${ttl} s` : 'off',
          requestsPerSecond: Math.round(r.requests.average),
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          errors: r.errors,
          non2xx: r.non2xx,
        });
      }
    } finally {
      await stopServer(child);
    }
  }
  return { store, connections: options.connections, durationSeconds: options.durationSeconds, runs };
}
