/**
 * Deploy rehearsal (run by .ci/run after `cdk synth`, with WK_BUNDLES=cdk.out, next to the HTTP
 * suites it reruns on the bundles): the gateway really runs the synthesized bundles, one Node 22
 * process per function and stage, with the template's environment but for the documented local
 * substitutions. Not part of `npm test` (it needs cdk.out): the file name does not match *.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FUNCTIONS, type FunctionName } from '../../lambdas/gateway/routes';
import { synthesizedFunction } from '../../local/bundles';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

const cdkOut = path.resolve(process.env.WK_BUNDLES ?? 'cdk.out');
let gw: TestGateway;
beforeAll(async () => {
  if (!process.env.WK_BUNDLES) throw new Error('the rehearsal runs with WK_BUNDLES=cdk.out (after npx cdk synth)');
  gw = await startTestGateway();
});
afterAll(() => gw.close());

test('every function of both stages answers from its bundle, in its own Node 22 process', async () => {
  const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'rehearsal-app' });
  expect(created.status).toBe(201);
  const issued = await gw.call('sandbox', 'POST', '/authtoken', {
    body: { clientName: 'rehearsal-app', clientSecret: created.body.clientSecret },
  });
  expect(issued.status).toBe(200);
  expect((await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: issued.body.token as string })).status).toBe(200);
  expect((await gw.call('sandbox', 'GET', '/.well-known/jwks.json')).status).toBe(200);
  expect((await gw.admin('prod', 'GET', '/admin/clients/nobody')).status).toBe(404);

  const ran = gw.gateway.bundles?.processes() ?? [];
  const names = ['prod', 'sandbox'].flatMap((stage) => Object.keys(FUNCTIONS).map((fn) => `local-${stage}-${fn}`));
  expect(ran.map((p) => p.name).sort()).toEqual(names.sort());
  for (const p of ran) expect(p.pid).toEqual(expect.any(Number));
  expect(new Set(ran.map((p) => p.pid)).size).toBe(ran.length);
  for (const p of ran) {
    expect(p.nodeVersion).toMatch(/^v22\./);
    expect(p.bundle.startsWith(cdkOut)).toBe(true);
  }
});

test("each process has its template's environment, with only the local substitutions", () => {
  const stacks = gw.gateway.bundles?.stacks;
  for (const p of gw.gateway.bundles?.processes() ?? []) {
    const [, stage, fn] = p.name.split('-') as [string, 'sandbox' | 'prod', FunctionName];
    const synthesized = synthesizedFunction(cdkOut, stacks?.[stage] as string, fn);
    const template = synthesized.environment;
    const local = gw.gateway.stages[stage].env;
    for (const [k, v] of Object.entries(template)) {
      if (typeof v !== 'string' || ['TENANT', 'KEYRING', 'USAGE_BACKEND', 'API_KEY_BACKEND'].includes(k)) continue;
      expect({ k, v: p.environment[k] }).toEqual({ k, v });
    }
    expect(p.environment).toMatchObject({
      TABLE_NAME: local.TABLE_NAME,
      KEYRING: 'local',
      LOCAL_KEY_FILE: local.LOCAL_KEY_FILE,
      TENANT: 'local',
      STAGE: stage,
    });
    expect(p.environment.KMS_KEY_ID).toBeUndefined();
    expect(template.KEYRING).toBe('kms');
    // The bundle is the minified esbuild output the stack deploys, not a source file.
    expect(readFileSync(p.bundle, 'utf8').length).toBeGreaterThan(10_000);
    expect(p.bundle.endsWith(`${path.sep}index.js`)).toBe(true);
    expect(Object.keys(FUNCTIONS)).toContain(fn);
  }
});
