/**
 * `workoutkit signing-key rotate` against the local gateway: the new key is in the JWKS a
 * container started after the rotation serves (warm ones within their key cache, which the lead
 * time outlasts), a second rotation while one is pending is refused, and bad leads never leave the CLI.
 */
import { startTestGateway, type TestGateway } from '../support/local-gateway';
import { cli } from './run-cli';

let gw: TestGateway;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  gw = await startTestGateway();
  env = { WK_ADMIN_KEY: gw.gateway.stages.sandbox.adminKey };
});
afterAll(() => gw.close());

const kids = async (): Promise<string[]> =>
  ((await gw.call('sandbox', 'GET', '/.well-known/jwks.json')).body.keys as { kid: string }[]).map((k) => k.kid);

describe('workoutkit signing-key rotate', () => {
  it('publishes a new key that signs after the lead, and names the key it retires', async () => {
    const started = Date.now();
    const run = await cli(['signing-key', 'rotate', '--lead', '600', '--url', gw.url('sandbox'), '--json'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const answer = run.json() as { kid: string; activatesAt: string; retiring: { kid: string; retiresAt: string }[] };
    const retiring = answer.retiring.map((r) => r.kid);
    expect(retiring.length).toBeGreaterThan(0);
    expect(retiring).not.toContain(answer.kid);
    const lead = Date.parse(answer.activatesAt) - started;
    expect(lead).toBeGreaterThanOrEqual(599_000);
    expect(lead).toBeLessThanOrEqual(610_000);
    // The first JWKS read of this stage: the public function's key cache is cold, as after a deploy.
    expect((await kids()).sort()).toEqual([...retiring, answer.kid].sort());
  });

  it('exits 1 with a hint while a rotation is pending', async () => {
    const run = await cli(['signing-key', 'rotate', '--url', gw.url('sandbox')], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/conflict \(HTTP 409\)/);
    expect(run.stderr).toContain('hint: a rotation is already pending');
  });

  it('prints a readable table for people', async () => {
    const run = await cli(['signing-key', 'rotate', '--url', gw.url('prod')], { WK_ADMIN_KEY: gw.gateway.stages.prod.adminKey });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^kid\s+\S+$/m);
    expect(run.stdout).toMatch(/^activatesAt\s+\d{4}-\d{2}-\d{2}T/m);
    expect(run.stdout).toMatch(/^retiring\s+\S+ until \d{4}-/m);
  });

  it.each([['59'], ['604801'], ['ten']])('exits 2 on --lead %s without calling the stage', async (lead) => {
    const run = await cli(['signing-key', 'rotate', '--lead', lead, '--url', 'http://127.0.0.1:9/sandbox'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--lead is whole seconds from 360 to 604800');
  });
});
