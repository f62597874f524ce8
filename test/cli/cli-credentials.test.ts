/**
 * The CLI's credential commands end to end against the local gateway: `client rotate-secret`
 * (the old secret keeps working within the grace), `client keys set` with a JWKS file, a JWKS
 * URL and a PEM file (tokens signed with those keys are then accepted), and `revoke` by jti
 * and by client cut-off (the revoked tokens are then refused).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterClientCaches } from '../support/caches';
import { claimsOf } from '../support/clients';
import { startJwksServer, type JwksServer } from '../support/jwks-server';
import { keyPair, nowSeconds, signHs256, signWith } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';
import { cli } from './run-cli';

let gw: TestGateway;
let jwksServer: JwksServer;
let env: NodeJS.ProcessEnv;
let url: string;
const dir = mkdtempSync(path.join(os.tmpdir(), 'wk-cli-keys-'));
const es256 = keyPair('ES256', 'cli-es256');
const rs256 = keyPair('RS256', 'cli-rs256');

beforeAll(async () => {
  [gw, jwksServer] = await Promise.all([startTestGateway(), startJwksServer([rs256.publicJwk])]);
  url = gw.url('sandbox');
  env = { WK_ADMIN_KEY: gw.gateway.stages.sandbox.adminKey };
});
afterAll(async () => {
  await Promise.all([gw.close(), jwksServer.close()]);
});

const verify = (token: string) => gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
const tokenFor = (clientName: string, secret: string) => cli(['token', clientName, '--url', url], { WK_CLIENT_SECRET: secret });
async function createClient(clientName: string): Promise<string> {
  const run = await cli(['client', 'create', clientName, '--url', url, '--json'], env);
  if (run.code !== 0) throw new Error(run.stderr);
  return run.json().clientSecret as string;
}

describe('workoutkit client rotate-secret', () => {
  it('prints the new secret; both secrets work within the grace, then --grace 0 ends the previous ones', async () => {
    const first = await createClient('cli-rotate');
    const rotated = await cli(['client', 'rotate-secret', 'cli-rotate', '--grace', '3600', '--url', url, '--json'], env);
    expect(rotated.code).toBe(0);
    const { clientSecret: second, previousValidUntil } = rotated.json() as { clientSecret: string; previousValidUntil: string };
    expect(second).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(second).not.toBe(first);
    expect(Math.abs(Date.parse(previousValidUntil) - (Date.now() + 3_600_000))).toBeLessThan(60_000);

    // Within the grace: /authtoken and self-signed HS256 accept the old secret and the new one.
    for (const secret of [first, second]) {
      const issued = await tokenFor('cli-rotate', secret);
      expect(issued.code).toBe(0);
      expect((await verify(issued.stdout.trim())).status).toBe(200);
      expect((await verify(signHs256(secret, { clientName: 'cli-rotate', sub: 'u1', iat: nowSeconds() }))).status).toBe(200);
    }

    const human = await cli(['client', 'rotate-secret', 'cli-rotate', '--grace', '0', '--url', url], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^clientSecret\s+[A-Za-z0-9_-]{43,}$/m);
    expect(human.stdout).toMatch(/^previousValidUntil\s+\d{4}-\d{2}-\d{2}T/m);
    expect(human.stderr).toContain('shown only this once');
    const third = /^clientSecret\s+(\S+)$/m.exec(human.stdout)?.[1] as string;
    for (const old of [first, second]) {
      const refused = await cli(['token', 'cli-rotate', '--url', url, '--json'], { WK_CLIENT_SECRET: old });
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.stderr)).toMatchObject({ error: 'invalid_client', status: 401 });
    }
    expect((await tokenFor('cli-rotate', third)).code).toBe(0);
  });

  it('exits 2 on a grace over 7 days and 1 with a hint on an unknown client', async () => {
    expect((await cli(['client', 'rotate-secret', 'cli-rotate', '--grace', '604801', '--url', url], env)).code).toBe(2);
    const unknown = await cli(['client', 'rotate-secret', 'cli-nobody', '--url', url], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/not_found \(HTTP 404\)[\s\S]*hint: no client "cli-nobody"/);
  });
});

describe('workoutkit client keys set', () => {
  beforeAll(() => createClient('cli-keys'));

  it('--jwks <file>: registers the keys and the gateway accepts a token signed with them', async () => {
    const file = path.join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [es256.publicJwk] }));
    const run = await cli(['client', 'keys', 'set', 'cli-keys', '--jwks', file, '--url', url, '--json'], env);
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ clientName: 'cli-keys', keys: { kind: 'jwks', keys: [{ kid: 'cli-es256', algs: ['ES256'] }] } });
    const ok = await verify(await signWith(es256, { iss: 'cli-keys', sub: 'u1', exp: nowSeconds() + 300 }));
    expect(ok.body).toMatchObject({ clientName: 'cli-keys', tokenKind: 'client-asymmetric', kid: 'cli-es256' });
  });

  it('--jwks-uri <url>: the gateway fetches the JWKS and verifies with it', async () => {
    const run = await cli(['client', 'keys', 'set', 'cli-keys', '--jwks-uri', jwksServer.url, '--url', url], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^keys\.kind\s+jwks_uri$/m);
    await afterClientCaches();
    const ok = await verify(await signWith(rs256, { iss: 'cli-keys', exp: nowSeconds() + 300 }));
    expect(ok.body).toMatchObject({ tokenKind: 'client-asymmetric', alg: 'RS256', kid: 'cli-rs256' });
  });

  it('--pem <file>: replaces the keys with a PEM public key', async () => {
    const file = path.join(dir, 'key.pem');
    writeFileSync(file, es256.publicKey.export({ format: 'pem', type: 'spki' }).toString());
    const run = await cli(['client', 'keys', 'set', 'cli-keys', '--pem', file, '--url', url, '--json'], env);
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ keys: { kind: 'pem' } });
    await afterClientCaches();
    expect((await verify(await signWith(es256, { clientName: 'cli-keys', exp: nowSeconds() + 301 }, { kid: undefined }))).status).toBe(200);
    const replaced = await verify(await signWith(rs256, { iss: 'cli-keys', exp: nowSeconds() + 302 }));
    expect(replaced.status).toBe(401);
  });

  it('exits 1 with invalid_request for a private key, and 2 for an unreadable file or no key source', async () => {
    const file = path.join(dir, 'private.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...es256.privateKey.export({ format: 'jwk' }), kid: 'leak' }] }));
    const priv = await cli(['client', 'keys', 'set', 'cli-keys', '--jwks', file, '--url', url, '--json'], env);
    expect(priv.code).toBe(1);
    expect(JSON.parse(priv.stderr)).toMatchObject({ error: 'invalid_request', status: 400 });
    expect((await cli(['client', 'keys', 'set', 'cli-keys', '--pem', path.join(dir, 'missing.pem'), '--url', url], env)).code).toBe(2);
    expect((await cli(['client', 'keys', 'set', 'cli-keys', '--url', url], env)).code).toBe(2);
  });
});

describe('workoutkit revoke', () => {
  let secret: string;
  beforeAll(async () => {
    secret = await createClient('cli-revoke');
  });

  it('--jti: the revoked token is refused with token_revoked, other tokens still pass', async () => {
    const token = (await tokenFor('cli-revoke', secret)).stdout.trim();
    const other = (await tokenFor('cli-revoke', secret)).stdout.trim();
    expect((await verify(token)).status).toBe(200);
    const jti = claimsOf(token).jti as string;
    const run = await cli(['revoke', '--jti', jti, '--url', url, '--json'], env);
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ revoked: 'jti', jti });
    const refused = await verify(token);
    expect({ status: refused.status, error: refused.body.error }).toEqual({ status: 401, error: 'token_revoked' });
    expect((await verify(other)).status).toBe(200);
  });

  it('--client --before: tokens issued before the cut-off are refused, later ones pass', async () => {
    const now = nowSeconds();
    const older = signHs256(secret, { clientName: 'cli-revoke', iat: now - 120 });
    const newer = signHs256(secret, { clientName: 'cli-revoke', iat: now - 10 });
    const run = await cli(['revoke', '--client', 'cli-revoke', '--before', String(now - 60), '--url', url], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/clientName\s+cli-revoke/);
    expect(run.stderr).toContain('authorizer cache TTL');
    expect((await verify(older)).body.error).toBe('token_revoked');
    expect((await verify(newer)).status).toBe(200);
  });

  it('--client alone cuts off at now: every token issued so far is refused', async () => {
    const recent = signHs256(secret, { clientName: 'cli-revoke', iat: nowSeconds() - 5 });
    const run = await cli(['revoke', '--client', 'cli-revoke', '--url', url, '--json'], env);
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ revoked: 'client', clientName: 'cli-revoke' });
    expect((await verify(recent)).body.error).toBe('token_revoked');

    // An earlier cut-off afterwards does not move it back; the CLI shows the effective one.
    const effective = run.json().issuedBefore as string;
    const earlier = await cli(['revoke', '--client', 'cli-revoke', '--before', '2020-01-01T00:00:00Z', '--url', url], env);
    expect(earlier.code).toBe(0);
    expect(earlier.stdout).toMatch(/^revoked\s+client$/m);
    expect(earlier.stdout).toContain(`issuedBefore  ${effective}`);
  });

  it('exits 2 without exactly one of --jti and --client, 1 for an unknown client', async () => {
    expect((await cli(['revoke', '--url', url], env)).code).toBe(2);
    expect((await cli(['revoke', '--jti', 'x', '--client', 'cli-revoke', '--url', url], env)).code).toBe(2);
    expect((await cli(['revoke', '--client', 'cli-revoke', '--before', 'yesterday-ish', '--url', url], env)).code).toBe(2);
    const unknown = await cli(['revoke', '--client', 'cli-nobody', '--url', url], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('hint: no client "cli-nobody" on this stage');
  });
});
