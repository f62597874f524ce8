/**
 * /v1/settings over the local gateway: scope `settings` required; a client sees and changes
 * only its own settings; keys, rotation and revocation follow the operator routes' rules.
 */
import { randomUUID } from 'node:crypto';
import { afterClientCaches } from '../support/caches';
import { claimsOf, createClient } from '../support/clients';
import { keyPair, nowSeconds, signHs256, signWith } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
const secrets: Record<string, string> = {};

beforeAll(async () => {
  gw = await startTestGateway({ authorizerCacheTtlSeconds: 0 });
  for (const name of ['set-alpha', 'set-beta']) secrets[name] = await createClient(gw, 'sandbox', name, { scopes: ['settings', 'read'] });
  secrets['set-plain'] = await createClient(gw, 'sandbox', 'set-plain', { scopes: ['read'] });
});
afterAll(() => gw.close());

async function issued(clientName: string, secret = secrets[clientName] as string): Promise<string> {
  const res = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName, clientSecret: secret } });
  if (res.status !== 200) throw new Error(`authtoken ${clientName}: ${res.status} ${res.text}`);
  return res.body.token as string;
}

describe('/v1/settings', () => {
  it('needs scope settings: 403 insufficient_permissions without it', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/settings', { token: await issued('set-plain') });
    expect([res.status, res.body.error]).toEqual([403, 'insufficient_permissions']);
  });

  it("shows the caller's own settings and never a secret", async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/settings', { token: await issued('set-alpha') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clientName: 'set-alpha', stage: 'sandbox', scopes: ['settings', 'read'], keys: null });
    expect(res.text).not.toContain(secrets['set-alpha']);
    expect(res.text).not.toMatch(/sealed/);
  });

  it('registers a public JWKS the API then accepts tokens signed by', async () => {
    const key = keyPair('ES256', 'alpha-es256');
    const put = await gw.call('sandbox', 'PUT', '/v1/settings/keys', {
      token: await issued('set-alpha'),
      body: { jwks: { keys: [key.publicJwk] } },
    });
    expect(put.status).toBe(200);
    expect(put.body.keys).toMatchObject({ kind: 'jwks', keys: [{ kid: 'alpha-es256', algs: ['ES256'] }] });
    // The authorizer read set-alpha for the issued token above: it sees the keys after its client cache.
    await afterClientCaches();
    const own = await signWith(key, { clientName: 'set-alpha', iat: nowSeconds() });
    const verified = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: own });
    expect(verified.body).toMatchObject({ clientName: 'set-alpha', tokenKind: 'client-asymmetric', kid: 'alpha-es256' });
    const settings = await gw.call('sandbox', 'GET', '/v1/settings', { token: await issued('set-alpha') });
    expect(settings.body.keys).toMatchObject({ kind: 'jwks', keys: [{ kid: 'alpha-es256', algs: ['ES256'], source: 'jwks' }] });
    // Only the caller's client changed.
    const beta = await gw.admin('sandbox', 'GET', '/admin/clients/set-beta');
    expect(beta.body.keys).toBeNull();
  });

  it('refuses a private, symmetric or malformed JWKS with invalid_request', async () => {
    const token = await issued('set-alpha');
    const privateJwk = keyPair('ES256').privateKey.export({ format: 'jwk' });
    for (const jwks of [{ keys: [privateJwk] }, { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }, { keys: 'nope' }]) {
      const res = await gw.call('sandbox', 'PUT', '/v1/settings/keys', { token, body: { jwks } });
      expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
    }
  });

  it('rotates the secret: the old one works during the grace period, then stops', async () => {
    const old = secrets['set-beta'] as string;
    const res = await gw.call('sandbox', 'POST', '/v1/settings/rotate-secret', {
      token: await issued('set-beta'),
      body: { graceSeconds: 2 },
    });
    expect(res.status).toBe(200);
    const fresh = res.body.clientSecret as string;
    expect(fresh).not.toBe(old);
    expect(Date.parse(res.body.previousValidUntil as string)).toBeGreaterThan(Date.now() - 1000);
    expect((await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'set-beta', clientSecret: old } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3100));
    const late = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'set-beta', clientSecret: old } });
    expect([late.status, late.body.error]).toEqual([401, 'invalid_client']);
    secrets['set-beta'] = fresh;
    expect((await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'set-beta', clientSecret: fresh } })).status).toBe(200);
    // Tokens signed with the new secret: the authorizer sees it after its client cache.
    await afterClientCaches();
  });

  it("revokes a jti among the caller's own tokens only", async () => {
    const jti = `shared-${randomUUID()}`;
    const alphaToken = signHs256(secrets['set-alpha'] as string, { clientName: 'set-alpha', jti, iat: nowSeconds() });
    const betaToken = signHs256(secrets['set-beta'] as string, { clientName: 'set-beta', jti, iat: nowSeconds() });
    const res = await gw.call('sandbox', 'POST', '/v1/settings/revocations', { token: await issued('set-alpha'), body: { jti } });
    expect(res.status).toBe(201);
    const alpha = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: alphaToken });
    expect([alpha.status, alpha.body.error]).toEqual([401, 'token_revoked']);
    expect((await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: betaToken })).status).toBe(200);
  });

  it("refuses a revocation that names another client, and sets the caller's own cut-off", async () => {
    const token = await issued('set-alpha');
    const other = await gw.call('sandbox', 'POST', '/v1/settings/revocations', {
      token,
      body: { clientName: 'set-beta', issuedBefore: nowSeconds() },
    });
    expect([other.status, other.body.error]).toEqual([403, 'insufficient_permissions']);
    const before = await issued('set-beta');
    expect(claimsOf(before).clientName).toBe('set-beta');
    const own = await gw.call('sandbox', 'POST', '/v1/settings/revocations', {
      token: await issued('set-beta'),
      body: { issuedBefore: nowSeconds() + 1 },
    });
    expect(own.status).toBe(201);
    const refused = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: before });
    expect([refused.status, refused.body.error]).toEqual([401, 'token_revoked']);
    // The other client is untouched.
    expect((await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: await issued('set-alpha') })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
  });

  it("reports the caller's own usage against its quota", async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/settings/usage', { token: await issued('set-alpha') });
    expect(res.status).toBe(200);
    // set-alpha has no quota of its own: still counted, with no limit; the deployment's is beside it.
    expect(res.body).toMatchObject({ period: expect.any(String), limit: null, remaining: null, tier: 'default' });
    expect(res.body).toHaveProperty('deployment');
    expect(res.body.used as number).toBeGreaterThanOrEqual(1);
    const admin = await gw.admin('sandbox', 'GET', '/admin/clients/set-alpha/usage');
    expect(admin.body.limit).toBe(res.body.limit);
  });

  it('lists recent authentication failures by reason, without the token', async () => {
    const bad = signHs256('not-the-secret', { clientName: 'set-alpha', iat: nowSeconds() });
    expect((await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: bad })).status).toBe(401);
    const res = await gw.call('sandbox', 'GET', '/v1/settings/auth-failures', { token: await issued('set-alpha') });
    expect(res.status).toBe(200);
    expect((res.body.byReason as Record<string, number>).invalid_signature).toBeGreaterThanOrEqual(1);
    expect(res.body.recent).toContainEqual(expect.objectContaining({ reason: 'invalid_signature', tokenKind: 'client-hs256' }));
    expect(res.text).not.toContain(bad.split('.')[2]);
    // Another client's failures are not the caller's.
    const beta = await gw.call('sandbox', 'GET', '/v1/settings/auth-failures', { token: await issued('set-beta') });
    expect(beta.body.recent).not.toContainEqual(expect.objectContaining({ reason: 'invalid_signature', tokenKind: 'client-hs256' }));
  });
});
