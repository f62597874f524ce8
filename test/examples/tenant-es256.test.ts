import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runExample } from '../../examples/tenant-es256';
import { startTestGateway, type TestGateway } from '../support/local-gateway';
import { runExampleFile } from './run-example';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

describe('examples/tenant-es256.ts', () => {
  it('registers a generated ES256 key, authenticates with a token it signed, and reads a session for its end user', async () => {
    const result = await runExample({
      baseUrl: gw.url('sandbox'),
      adminKey: gw.gateway.stages.sandbox.adminKey,
      clientName: 'example-tenant',
    });
    expect(result.entity).toMatchObject({
      clientName: 'example-tenant',
      sub: 'user-123',
      tokenKind: 'client-asymmetric',
      alg: 'ES256',
      stage: 'sandbox',
      scope: ['read'],
    });
    expect(result.session).toEqual({ id: 'hiit-20-core', type: 'block', title: expect.any(String) });
  });

  it('works with a key loaded from PKCS#8 PEM, and again for an existing client', async () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const first = await runExample({
      baseUrl: gw.url('prod'),
      adminKey: gw.gateway.stages.prod.adminKey,
      clientName: 'example-tenant',
      privateKeyPem: pem,
    });
    expect(first.entity).toMatchObject({ clientName: 'example-tenant', stage: 'prod', tokenKind: 'client-asymmetric' });
    const again = await runExample({
      baseUrl: gw.url('prod'),
      adminKey: gw.gateway.stages.prod.adminKey,
      clientName: 'example-tenant',
      privateKeyPem: pem,
      sessionId: 'yoga-flow-15',
    });
    expect(again.session).toMatchObject({ id: 'yoga-flow-15', type: 'video' });
  });

  it('runs as its header says (WK_BASE_URL, WK_ADMIN_KEY, WK_PRIVATE_KEY_FILE, WK_SESSION_ID)', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'wk-es256-')), 'tenant.pem');
    writeFileSync(file, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    const run = await runExampleFile('examples/tenant-es256.ts', {
      WK_BASE_URL: gw.url('sandbox'),
      WK_ADMIN_KEY: gw.gateway.stages.sandbox.adminKey,
      WK_CLIENT_NAME: 'example-tenant-cli',
      WK_PRIVATE_KEY_FILE: file,
      WK_SESSION_ID: 'morning-run-30',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      entity: { clientName: 'example-tenant-cli', tokenKind: 'client-asymmetric' },
      session: { id: 'morning-run-30', type: 'audio' },
    });
  });

  it('exits 1 with the API answer for an unknown session', async () => {
    const run = await runExampleFile('examples/tenant-es256.ts', {
      WK_BASE_URL: gw.url('sandbox'),
      WK_ADMIN_KEY: gw.gateway.stages.sandbox.adminKey,
      WK_SESSION_ID: 'no-such-session',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/session: 404 .*not_found/);
  });
});
