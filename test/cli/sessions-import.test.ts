/**
 * `workoutkit sessions import`: PUT /admin/sessions/{id} per item, never more than --concurrency
 * in flight, retries on 429 with Retry-After, stops on an operator-key refusal. A local server
 * stands in for the stage so the batch behaviour is observable.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseSessionsFile } from '../../cli/commands/sessions-import';
import { CliError } from '../../cli/exit-codes';
import { cli } from './run-cli';

const dir = mkdtempSync(path.join(os.tmpdir(), 'wk-import-'));
let server: Server;
let base: string;
let inFlight = 0;
let maxInFlight = 0;
const puts: { url: string; key: string | undefined; body: unknown }[] = [];
/** Session ids answered 429 once, then 200. */
const throttleOnce = new Set<string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      setTimeout(() => {
        inFlight--;
        const key = req.headers['x-workoutkit-admin-key'] as string | undefined;
        const id = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
        if (key !== 'op-key') {
          res
            .writeHead(401, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: 'unauthorized', error_description: 'Missing or wrong operator key' }));
          return;
        }
        if (throttleOnce.delete(id)) {
          res
            .writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' })
            .end(JSON.stringify({ error: 'rate_limited', error_description: 'slow down' }));
          return;
        }
        puts.push({ url: req.url ?? '', key, body: JSON.parse(raw) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(raw);
      }, 5);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox`;
});
afterAll(() => new Promise((r) => server.close(r)));

function catalogue(n: number): string {
  const file = path.join(dir, `catalogue-${n}.json`);
  const items = Array.from({ length: n }, (_, i) => ({ id: `s-${i}`, type: 'audio', title: `Session ${i}`, durationSeconds: 600 + i }));
  writeFileSync(file, JSON.stringify(items));
  return file;
}

describe('workoutkit sessions import', () => {
  it('PUTs every session with at most --concurrency requests in flight and reports counts as JSON', async () => {
    puts.length = 0;
    maxInFlight = 0;
    const run = await cli(['sessions', 'import', catalogue(40), '--concurrency', '4', '--url', base, '--json'], { WK_ADMIN_KEY: 'op-key' });
    expect(run.code).toBe(0);
    expect(run.json()).toEqual({ total: 40, imported: 40, failed: 0, failures: [] });
    expect(puts).toHaveLength(40);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(puts.find((p) => p.url === '/sandbox/admin/sessions/s-7')?.body).toEqual({
      type: 'audio',
      title: 'Session 7',
      durationSeconds: 607,
    });
  });

  it('retries a throttled session after Retry-After', async () => {
    puts.length = 0;
    throttleOnce.add('s-1');
    const run = await cli(['sessions', 'import', catalogue(3), '--url', base, '--json'], { WK_ADMIN_KEY: 'op-key' });
    expect(run.code).toBe(0);
    expect(puts.map((p) => p.url).sort()).toEqual([
      '/sandbox/admin/sessions/s-0',
      '/sandbox/admin/sessions/s-1',
      '/sandbox/admin/sessions/s-2',
    ]);
  });

  it('stops at the first operator-key refusal and exits 1 with the fix', async () => {
    puts.length = 0;
    const run = await cli(['sessions', 'import', catalogue(30), '--concurrency', '2', '--url', base], { WK_ADMIN_KEY: 'wrong' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^aborted\s+unauthorized \(HTTP 401\).*check WK_ADMIN_KEY/m);
    expect(run.stdout).toMatch(/^failed\s+[12]$/m);
    expect(run.stderr).toContain('sessions were not imported');
  });

  it('reads NDJSON and {"sessions": [...]}, and refuses items without an id as a usage error', () => {
    expect(
      parseSessionsFile('{"id":"a","type":"video","title":"A"}\n{"id":"b","type":"block","title":"B"}\n', 'f').map((s) => s.id),
    ).toEqual(['a', 'b']);
    expect(parseSessionsFile('{"sessions":[{"sessionId":"c","type":"audio","title":"C"}]}', 'f')).toEqual([
      { id: 'c', body: { type: 'audio', title: 'C' } },
    ]);
    expect(() => parseSessionsFile('[{"type":"audio"}]', 'f')).toThrow(CliError);
    expect(() => parseSessionsFile('[{"id":"a"},{"id":"a"}]', 'f')).toThrow(/appears twice/);
  });
});
