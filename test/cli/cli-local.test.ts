/**
 * The operator CLI against the local gateway: the operations an operator runs, their --json
 * output, and the exit codes scripts rely on (0 ok, 1 API error, 2 usage, 3 network).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestGateway, type TestGateway } from '../support/local-gateway';
import { cli } from './run-cli';

let gw: TestGateway;
let env: NodeJS.ProcessEnv;
let url: string;
beforeAll(async () => {
  gw = await startTestGateway();
  url = gw.url('sandbox');
  env = { WK_ADMIN_KEY: gw.gateway.stages.sandbox.adminKey };
});
afterAll(() => gw.close());

describe('workoutkit client', () => {
  it('creates a client and prints its secret once, as JSON for scripts', async () => {
    const run = await cli(['client', 'create', 'cli-acme', '--scopes', 'read,write', '--quota', '1000/DAY', '--url', url, '--json'], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const body = run.json();
    expect(body.clientName).toBe('cli-acme');
    expect(body.clientSecret).toMatch(/^[A-Za-z0-9_-]{43,}$/);
  });

  it('shows a client as a readable table without any secret', async () => {
    const created = await cli(
      ['client', 'create', 'cli-show', '--require', 'exp,iat', '--max-lifetime', '3600', '--url', url, '--json'],
      env,
    );
    const secret = created.json().clientSecret as string;
    const run = await cli(['client', 'show', 'cli-show', '--url', url], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^clientName\s+cli-show$/m);
    expect(run.stdout).toMatch(/^requiredClaims\s+exp, iat$/m);
    expect(run.stdout).not.toContain(secret);
  });

  it('reads the operator key from WK_ADMIN_KEY_<STAGE> when WK_ADMIN_KEY is unset', async () => {
    const run = await cli(['client', 'create', 'cli-stagekey', '--url', gw.url('prod'), '--json'], {
      WK_ADMIN_KEY_PROD: gw.gateway.stages.prod.adminKey,
    });
    expect(run.code).toBe(0);
  });

  it('updates a client (tier, quota, disabled) and deletes it with --yes', async () => {
    expect((await cli(['client', 'create', 'cli-life', '--quota', '100/DAY', '--url', url, '--json'], env)).code).toBe(0);
    const updated = await cli(['client', 'update', 'cli-life', '--quota', '5/WEEK', '--disable', '--url', url, '--json'], env);
    expect(updated.code).toBe(0);
    expect(updated.json()).toMatchObject({ clientName: 'cli-life', quota: { limit: 5, period: 'WEEK' }, disabled: true, tier: 'default' });
    const removed = await cli(['client', 'update', 'cli-life', '--remove-quota', '--enable', '--url', url, '--json'], env);
    expect(removed.json()).toMatchObject({ quota: null, disabled: false });
    const nothing = await cli(['client', 'update', 'cli-life', '--url', url], env);
    expect(nothing.code).toBe(2);
    const badTier = await cli(['client', 'update', 'cli-life', '--tier', 'gold', '--url', url], env);
    expect(badTier.code).toBe(1);
    expect(badTier.stderr).toMatch(/unknown tier "gold"/);
    expect((await cli(['client', 'delete', 'cli-life', '--url', url], env)).code).toBe(2); // --yes is required
    expect((await cli(['client', 'delete', 'cli-life', '--yes', '--url', url, '--json'], env)).json()).toEqual({
      clientName: 'cli-life',
      deleted: true,
    });
    expect((await cli(['client', 'show', 'cli-life', '--url', url], env)).code).toBe(1);
  });

  it('exits 1 with a hint on an unknown client', async () => {
    const run = await cli(['client', 'show', 'cli-nobody', '--url', url], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not_found \(HTTP 404\)/);
    expect(run.stderr).toMatch(/hint: no client "cli-nobody" on this stage — create it with: workoutkit client create cli-nobody/);
  });

  it('exits 1 on a duplicate name, with the error as JSON on stderr under --json', async () => {
    await cli(['client', 'create', 'cli-dup', '--url', url, '--json'], env);
    const run = await cli(['client', 'create', 'cli-dup', '--url', url, '--json'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toMatchObject({ error: 'conflict', status: 409, exitCode: 1 });
  });

  it('exits 1 on a wrong operator key and says where the right one is printed', async () => {
    const run = await cli(['client', 'show', 'cli-acme', '--url', url, '--admin-key', 'wrong-key'], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/unauthorized \(HTTP 401\)/);
    expect(run.stderr).toContain('hint: check WK_ADMIN_KEY (or --admin-key) — npm start prints');
  });

  it('exits 2 without an operator key, before sending anything', async () => {
    const run = await cli(['client', 'show', 'cli-acme', '--url', url], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/set WK_ADMIN_KEY \(or WK_ADMIN_KEY_SANDBOX\)/);
  });

  it('exits 2 on bad options and on a missing stage', async () => {
    expect((await cli(['client', 'create', 'x', '--quota', 'lots', '--url', url], env)).code).toBe(2);
    expect((await cli(['client', 'frobnicate'], env)).code).toBe(2);
    const noStage = await cli(['client', 'show', 'cli-acme'], env);
    expect(noStage.code).toBe(2);
    expect(noStage.stderr).toContain('Give --url <stage base URL> or --tenant <name> --stage <sandbox|prod>');
  });

  it('exits 3 when the gateway is unreachable', async () => {
    const closed = await startTestGateway();
    const deadUrl = closed.url('sandbox');
    await closed.close();
    const run = await cli(['client', 'show', 'cli-acme', '--url', deadUrl], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Could not reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(run.stderr).toContain('hint: is the local gateway running? start it with: npm start');
  });
});

describe('workoutkit token', () => {
  it('prints a bare token that the gateway accepts', async () => {
    const created = await cli(['client', 'create', 'cli-token', '--url', url, '--json'], env);
    const secret = created.json().clientSecret as string;
    const run = await cli(['token', 'cli-token', '--sub', 'user-7', '--url', url], { WK_CLIENT_SECRET: secret });
    expect(run.code).toBe(0);
    const token = run.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const verified = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
    expect(verified.body).toMatchObject({ clientName: 'cli-token', sub: 'user-7', tokenKind: 'issued' });
  });

  it('exits 1 with invalid_client on a wrong secret', async () => {
    const run = await cli(['token', 'cli-token', '--secret', 'not-the-secret', '--url', url, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: 'invalid_client', status: 401 });
  });
  it('--oauth: gets a token through the client-credentials grant, narrowed by --scope', async () => {
    const created = await cli(['client', 'create', 'cli-oauth', '--scopes', 'read,write', '--url', url, '--json'], env);
    const secret = created.json().clientSecret as string;
    const run = await cli(['token', 'cli-oauth', '--oauth', '--scope', 'read', '--url', url], { WK_CLIENT_SECRET: secret });
    expect(run.code).toBe(0);
    const verified = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: run.stdout.trim() });
    expect(verified.body).toMatchObject({ clientName: 'cli-oauth', tokenKind: 'issued', scope: ['read'] });
    const outside = await cli(['token', 'cli-oauth', '--oauth', '--scope', 'settings', '--url', url, '--json'], {
      WK_CLIENT_SECRET: secret,
    });
    expect(outside.code).toBe(1);
    expect(JSON.parse(outside.stderr)).toMatchObject({ error: 'invalid_scope', status: 400 });
    const withSub = await cli(['token', 'cli-oauth', '--oauth', '--sub', 'u', '--url', url], { WK_CLIENT_SECRET: secret });
    expect(withSub.code).toBe(2);
  });
});

describe('workoutkit sessions import', () => {
  it('loads a catalogue into the stage, and reports the item the API refused', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'wk-cat-')), 'catalogue.ndjson');
    const item = (id: string, audioUrl: string) =>
      JSON.stringify({
        id,
        type: 'audio',
        title: `Walk ${id}`,
        durationSeconds: 1200,
        level: 'beginner',
        coach: { name: 'Sam Rivera' },
        audioUrl,
      });
    writeFileSync(
      file,
      [
        item('walk-1', 'https://media.example.com/1.m4a'),
        item('walk-2', 'https://media.example.com/2.m4a'),
        item('walk-bad', 'http://insecure.example.com/a.m4a'),
      ].join('\n'),
    );
    const run = await cli(['sessions', 'import', file, '--url', url, '--json'], env);
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ total: 3, imported: 2, failed: 1, failures: [{ id: 'walk-bad', status: 400 }] });

    const created = await cli(['client', 'create', 'cli-content', '--url', url, '--json'], env);
    const token = await cli(['token', 'cli-content', '--url', url], { WK_CLIENT_SECRET: created.json().clientSecret as string });
    const got = await gw.call('sandbox', 'GET', '/v1/cli-content/sessions/walk-2', { token: token.stdout.trim() });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: 'walk-2', title: 'Walk walk-2' });
  });
});

describe('workoutkit usage', () => {
  it('reads a client usage against its quota after metered requests', async () => {
    const created = await cli(['client', 'create', 'cli-usage', '--quota', '50/DAY', '--url', url, '--json'], env);
    const clientSecret = created.json().clientSecret as string;
    const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'cli-usage', clientSecret } });
    for (let i = 0; i < 3; i++)
      expect((await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: issued.body.token as string })).status).toBe(200);
    const run = await cli(['usage', 'cli-usage', '--url', url, '--json'], env);
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ used: 3, limit: 50, period: 'DAY', remaining: 47 });
  });
});
