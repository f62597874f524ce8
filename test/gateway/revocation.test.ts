/**
 * Revocation is one rule for every kind of token, over HTTP against the local gateway on
 * DynamoDB Local: an issued token, a client HS256 token, a client asymmetric token and a
 * WorkoutKitToken are each revoked each way the API offers (the operator's jti, the client's
 * own jti, the operator's and the client's own cut-off), and each is refused:
 *  - at once, while the authorizer's cached Allow still stands (the handlers' and the launch
 *    check's strongly consistent re-read);
 *  - by the authorizer itself once its cache and its in-container caches have turned over
 *    (its clock moved past them), well within the documented bound (the authorizer cache TTL).
 */
import { randomUUID } from 'node:crypto';
import { authorizerFor } from '../../lambdas/authorizer/handler';
import { payloadDigest } from '../../lambdas/core/payload-digest';
import { REVOCATION_CACHE_MS } from '../../lambdas/store/revocation-cache';
import { CLIENT_CACHE_MS } from '../../lambdas/store/client-directory';
import { buildDeps } from '../../lambdas/runtime/deps';
import { claimsOf, createClient, putKeys } from '../support/clients';
import { keyPair, nowSeconds, signHs256, signWith } from '../support/keys';
import { startTestGateway, type CallResult, type TestGateway } from '../support/local-gateway';

const DEVICE = 'device-5a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b';
const SESSION = 'hiit-20-core';
const es = keyPair('ES256', 'rev-es');

/** The authorizer's clock: moved forward to let its own short caches expire. */
let authorizerClockOffsetMs = 0;
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway({
    functions: {
      authorizer: { createHandler: (env) => authorizerFor(buildDeps(env, { clock: () => Date.now() + authorizerClockOffsetMs })) },
    },
  });
}, 60_000);
afterAll(() => gw.close());
afterEach(() => {
  authorizerClockOffsetMs = 0;
});

type Kind = 'issued' | 'client-hs256' | 'client-asymmetric' | 'launch';
type Way = 'operator jti' | 'own jti' | 'operator cut-off' | 'own cut-off';

interface Client {
  name: string;
  secret: string;
  /** An issued token with scope settings, for the client's own revocations. */
  settingsToken: string;
}

let counter = 0;
async function newClient(): Promise<Client> {
  const name = `rev-${++counter}-${randomUUID().slice(0, 8)}`;
  const secret = await createClient(gw, 'sandbox', name, { scopes: ['read', 'write', 'settings'] });
  await putKeys(gw, 'sandbox', name, { jwks: { keys: [es.publicJwk] } });
  const res = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: name, clientSecret: secret } });
  if (res.status !== 200) throw new Error(`authtoken: ${res.text}`);
  return { name, secret, settingsToken: res.body.token as string };
}

async function issuedToken(c: Client, sub = 'user-1'): Promise<string> {
  const res = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: c.name, clientSecret: c.secret, sub } });
  if (res.status !== 200) throw new Error(`authtoken: ${res.text}`);
  return res.body.token as string;
}

/** A token of the kind, and how to use it: a protected request, or a launch. */
async function tokenOf(kind: Kind, c: Client): Promise<{ jti: string; use: () => Promise<CallResult> }> {
  const claims = { clientName: c.name, sub: 'user-1', jti: randomUUID(), iat: nowSeconds(), exp: nowSeconds() + 600, scope: 'read' };
  const verify = (token: string) => () => gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
  switch (kind) {
    case 'issued': {
      const token = await issuedToken(c);
      return { jti: claimsOf(token).jti as string, use: verify(token) };
    }
    case 'client-hs256':
      return { jti: claims.jti, use: verify(signHs256(c.secret, claims)) };
    case 'client-asymmetric':
      return { jti: claims.jti, use: verify(await signWith(es, claims)) };
    case 'launch': {
      const served = await gw.call('sandbox', 'GET', `/v1/${c.name}/sessions/${SESSION}`, {
        token: await issuedToken(c),
        headers: { 'X-WorkoutKit-Device': DEVICE },
      });
      const token = served.headers.get('x-workoutkit-token');
      if (served.status !== 200 || !token) throw new Error(`no launch token: ${served.status} ${served.text}`);
      const body = { token, deviceId: DEVICE, sessionId: SESSION, payloadDigest: payloadDigest(served.json) };
      return { jti: claimsOf(token).jti as string, use: () => gw.call('sandbox', 'POST', '/v1/sdk/launch', { body }) };
    }
  }
}

async function revoke(way: Way, c: Client, jti: string): Promise<void> {
  // A cut-off one second ahead covers tokens issued this very second (iat < issuedBefore).
  const issuedBefore = nowSeconds() + 1;
  const res =
    way === 'operator jti'
      ? await gw.admin('sandbox', 'POST', '/admin/revocations', { jti })
      : way === 'own jti'
        ? await gw.call('sandbox', 'POST', '/v1/settings/revocations', { token: c.settingsToken, body: { jti } })
        : way === 'operator cut-off'
          ? await gw.admin('sandbox', 'POST', '/admin/revocations', { clientName: c.name, issuedBefore })
          : await gw.call('sandbox', 'POST', '/v1/settings/revocations', { token: c.settingsToken, body: { issuedBefore } });
  if (res.status !== 201) throw new Error(`${way}: ${res.status} ${res.text}`);
}

function expectRefused(kind: Kind, res: CallResult): void {
  if (kind === 'launch') {
    expect([res.status, res.body.error]).toEqual([401, 'launch_token_invalid']);
    expect(String(res.body.error_description)).toMatch(/^revoked:/);
  } else {
    expect([res.status, res.body.error]).toEqual([401, 'token_revoked']);
  }
}

const KINDS: Kind[] = ['issued', 'client-hs256', 'client-asymmetric', 'launch'];
const WAYS: Way[] = ['operator jti', 'own jti', 'operator cut-off', 'own cut-off'];
const CASES = KINDS.flatMap((kind) => WAYS.map((way) => [kind, way] as const));

describe('every token kind, revoked every way, is refused', () => {
  it.each(CASES)('a %s token revoked by %s', async (kind, way) => {
    const c = await newClient();
    const token = await tokenOf(kind, c);
    const before = await token.use();
    expect(before.status).toBe(200);

    await revoke(way, c, token.jti);

    // At once: the authorizer's Allow for this token is still cached.
    expectRefused(kind, await token.use());

    // And by the authorizer itself, once the caches it may use have turned over.
    gw.gateway.stages.sandbox.authorizerCache.clear();
    authorizerClockOffsetMs = Math.max(REVOCATION_CACHE_MS, CLIENT_CACHE_MS) + 1_000;
    expectRefused(kind, await token.use());
  });

  it("a client's own jti revocation does not revoke another client's token that carries the same jti", async () => {
    const [a, b] = [await newClient(), await newClient()];
    const jti = randomUUID();
    const claims = (name: string) => ({ clientName: name, jti, iat: nowSeconds(), exp: nowSeconds() + 600 });
    await revoke('own jti', a, jti);
    const own = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: signHs256(a.secret, claims(a.name)) });
    const other = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: signHs256(b.secret, claims(b.name)) });
    expect([own.status, own.body.error]).toEqual([401, 'token_revoked']);
    expect(other.status).toBe(200);
  });

  it('a launch token of another client survives a cut-off, and a fresh one after the cut-off launches', async () => {
    const [a, b] = [await newClient(), await newClient()];
    const before = await tokenOf('launch', b);
    await revoke('operator cut-off', a, '');
    expect((await before.use()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_100)); // past the cut-off second
    const after = await tokenOf('launch', a);
    expect((await after.use()).status).toBe(200);
  });
});
