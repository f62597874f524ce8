/**
 * The integrator examples of docs/integrators.md, run as a reader would against the local
 * gateway: TypeScript (issued token; HS256 and ES256 have their own tests), curl + openssl,
 * Python (standard library + `cryptography`) and Java 17 (`java File.java`, JDK only). Each
 * runtime that is on the machine runs; every way must end in 200 from GET /v1/auth/verify with
 * the token kind that way produces, for the client that signed in.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createClient } from '../support/clients';
import { startTestGateway, type TestGateway } from '../support/local-gateway';
import { runExampleFile } from './run-example';

const ROOT = path.resolve(__dirname, '..', '..');
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
}, 120_000);
afterAll(() => gw.close());

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const present = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

interface Runner {
  readonly name: string;
  readonly cmd: string;
  readonly args: string[];
  readonly ways: string[];
}
const RUNNERS: Runner[] = [
  { name: 'curl + openssl', cmd: 'bash', args: ['examples/curl/tokens.sh'], ways: ['issued', 'client-hs256'] },
  {
    name: 'Python',
    cmd: 'python3',
    args: ['examples/python/workoutkit_example.py'],
    ways: ['issued', 'client-hs256', 'client-asymmetric'],
  },
  { name: 'Java', cmd: 'java', args: ['examples/java/WorkoutKitExample.java'], ways: ['issued', 'client-hs256', 'client-asymmetric'] },
].filter((r) => {
  if (r.name === 'curl + openssl') return present('curl', ['--version']) && present('openssl', ['version']);
  if (r.name === 'Python') return present('python3', ['-c', 'import cryptography']);
  return present('java', ['-version']);
});

test.each(RUNNERS.map((r) => [r.name, r] as const))(
  '%s: every way to get a token reaches GET /v1/auth/verify',
  async (_name, runner) => {
    const clientName = `ex-${runner.cmd}-${Date.now().toString(36)}`.replace(/[^a-z0-9-]/g, '');
    const secret = await createClient(gw, 'sandbox', clientName);
    const out = await run(runner.cmd, runner.args, {
      WK_BASE_URL: gw.url('sandbox'),
      WK_CLIENT_NAME: clientName,
      WK_CLIENT_SECRET: secret,
      WK_ADMIN_KEY: gw.gateway.stages.sandbox.adminKey,
    });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { way: string; status: number; body: Record<string, unknown> });
    expect(lines.map((l) => l.way)).toEqual(runner.ways);
    for (const l of lines) {
      expect({ way: l.way, status: l.status }).toEqual({ way: l.way, status: 200 });
      expect(l.body).toMatchObject({ clientName, sub: 'user-123', tokenKind: l.way });
    }
  },
  180_000,
);

test('TypeScript: examples/issued-token.ts gets an issued token and calls the API', async () => {
  const clientName = `ex-ts-${Date.now().toString(36)}`;
  const secret = await createClient(gw, 'sandbox', clientName);
  const out = await runExampleFile('examples/issued-token.ts', {
    WK_BASE_URL: gw.url('sandbox'),
    WK_CLIENT_NAME: clientName,
    WK_CLIENT_SECRET: secret,
  });
  expect(out.code).toBe(0);
  expect(JSON.parse(out.stdout)).toMatchObject({ clientName, sub: 'user-123', tokenKind: 'issued' });
}, 90_000);
