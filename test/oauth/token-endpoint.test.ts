/**
 * POST /oauth2/token and the RFC 8414 metadata over HTTP against the local gateway: a real
 * OAuth 2.0 client library (openid-client, by discovery of the metadata) obtains tokens with
 * each client-authentication method, and the refusals are RFC 6749 §5.2 errors.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import * as oauth from 'openid-client';
import { MAX_ASSERTION_LIFETIME_SECONDS } from '../../lambdas/core/client-assertion';
import { FAILURE_LIMIT } from '../../lambdas/store/token-lockout-store';
import { claimsOf, createClient, putKeys } from '../support/clients';
import { signHs256 } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
let issuer: string;
let tokenUrl: string;
const secrets: Record<string, string> = {};
let signingKey: { privateKey: CryptoKey; kid: string };
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

beforeAll(async () => {
  gw = await startTestGateway();
  issuer = gw.url('sandbox');
  tokenUrl = `${issuer}/oauth2/token`;
  for (const name of ['oa-basic', 'oa-post', 'oa-lock', 'oa-other'])
    secrets[name] = await createClient(gw, 'sandbox', name, { scopes: ['read', 'settings'] });
  const pair = await generateKeyPair('ES256', { extractable: true });
  signingKey = { privateKey: pair.privateKey, kid: 'oa-es-1' };
  // One client per group of refusals: five failures lock a client out (from one address).
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: signingKey.kid, alg: 'ES256', use: 'sig' }] };
  for (const name of ['oa-jwt', 'oa-jwt-aud', 'oa-jwt-key']) {
    await createClient(gw, 'sandbox', name, { scopes: ['read', 'write'] });
    await putKeys(gw, 'sandbox', name, { jwks });
  }
});
afterAll(() => gw.close());

/** Discovery of the stage's metadata; http is allowed only because the gateway is on loopback. */
const discover = (clientId: string, auth: oauth.ClientAuth): Promise<oauth.Configuration> =>
  oauth.discovery(new URL(`${issuer}/.well-known/oauth-authorization-server`), clientId, undefined, auth, {
    execute: [oauth.allowInsecureRequests],
  });

const form = (params: Record<string, string>, headers: Record<string, string> = {}, stage: 'sandbox' | 'prod' = 'sandbox') =>
  gw.call(stage, 'POST', '/oauth2/token', {
    body: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

const assertion = (claims: Record<string, unknown> = {}, client = 'oa-jwt') => {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: client, sub: client, aud: issuer, jti: randomUUID(), iat: now, exp: now + 60, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: signingKey.kid })
    .sign(signingKey.privateKey);
};

const jwtGrant = async (token: string, extra: Record<string, string> = {}) =>
  form({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: token, ...extra });

describe('GET /.well-known/oauth-authorization-server', () => {
  it('publishes RFC 8414 metadata whose issuer is the stage base URL, and whose JWKS verifies issued tokens', async () => {
    const res = await gw.call('sandbox', 'GET', '/.well-known/oauth-authorization-server');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      issuer,
      token_endpoint: tokenUrl,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'],
      scopes_supported: expect.arrayContaining(['read', 'write', 'settings']),
    });
    const jwks = await fetch(res.body.jwks_uri as string);
    expect(jwks.status).toBe(200);
  });

  it('names each stage by its own base URL', async () => {
    const prod = await gw.call('prod', 'GET', '/.well-known/oauth-authorization-server');
    expect(prod.body.issuer).toBe(gw.url('prod'));
    expect(prod.body.issuer).not.toBe(issuer);
  });
});

describe('the client-credentials grant through openid-client', () => {
  it('client_secret_basic: a token whose iss is the issuer, accepted by the API as an issued token', async () => {
    const config = await discover('oa-basic', oauth.ClientSecretBasic(secrets['oa-basic']));
    const tokens = await oauth.clientCredentialsGrant(config);
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 14400, scope: 'read settings' });
    expect(claimsOf(tokens.access_token)).toMatchObject({ iss: issuer, clientName: 'oa-basic', scope: ['read', 'settings'] });
    const verify = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: tokens.access_token });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ clientName: 'oa-basic', tokenKind: 'issued', scope: ['read', 'settings'] });
  });

  it('client_secret_post: narrows the scope to the one requested', async () => {
    const config = await discover('oa-post', oauth.ClientSecretPost(secrets['oa-post']));
    const tokens = await oauth.clientCredentialsGrant(config, { scope: 'read' });
    expect(tokens.scope).toBe('read');
    expect(claimsOf(tokens.access_token).scope).toEqual(['read']);
    const settings = await gw.call('sandbox', 'GET', '/v1/settings', { token: tokens.access_token });
    expect(settings.status).toBe(403);
  });

  it('private_key_jwt: an assertion signed with the registered ES256 key (aud = issuer, as the library sends)', async () => {
    const config = await discover('oa-jwt', oauth.PrivateKeyJwt({ key: signingKey.privateKey, kid: signingKey.kid }));
    const tokens = await oauth.clientCredentialsGrant(config, { scope: 'write' });
    expect(tokens.scope).toBe('write');
    expect(claimsOf(tokens.access_token)).toMatchObject({ iss: issuer, clientName: 'oa-jwt', scope: ['write'] });
    const verify = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: tokens.access_token });
    expect(verify.body).toMatchObject({ clientName: 'oa-jwt', tokenKind: 'issued' });
  });

  it('surfaces a wrong secret to the library as a 401 challenge: Basic after Basic, invalid_client after client_secret_post', async () => {
    const viaBasic = await discover('oa-other', oauth.ClientSecretBasic('not-the-secret'));
    await expect(oauth.clientCredentialsGrant(viaBasic)).rejects.toMatchObject({
      status: 401,
      cause: [expect.objectContaining({ scheme: 'basic' })],
    });
    const viaPost = await discover('oa-other', oauth.ClientSecretPost('not-the-secret'));
    await expect(oauth.clientCredentialsGrant(viaPost)).rejects.toMatchObject({
      status: 401,
      cause: [expect.objectContaining({ scheme: 'bearer', parameters: expect.objectContaining({ error: 'invalid_client' }) })],
    });
  });
});

describe('POST /oauth2/token answers', () => {
  it('with no-store and the RFC 6749 §5.1 fields; an assertion whose aud is the token endpoint URL also works', async () => {
    const res = await jwtGrant(await assertion({ aud: tokenUrl }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 14400, scope: 'read write' });
  });

  it('decodes form-urlencoded Basic credentials (RFC 6749 §2.3.1)', async () => {
    const res = await form({ grant_type: 'client_credentials' }, { authorization: basic('oa-basic', secrets['oa-basic'] as string) });
    expect(res.status).toBe(200);
  });
});

describe('POST /oauth2/token refuses', () => {
  it('a wrong Basic secret: 401 invalid_client with a Basic challenge, no-store', async () => {
    const res = await form({ grant_type: 'client_credentials' }, { authorization: basic('oa-other', 'wrong') });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('an unknown client exactly like a wrong secret', async () => {
    const unknown = await form({ grant_type: 'client_credentials', client_id: 'oa-nobody', client_secret: 'x' });
    const wrong = await form({ grant_type: 'client_credentials', client_id: 'oa-other', client_secret: 'x' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('a request with no client authentication: 401 invalid_client', async () => {
    const res = await form({ grant_type: 'client_credentials', client_id: 'oa-post' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('the secret sent both ways (Basic and client_secret): 400 invalid_request', async () => {
    const secret = secrets['oa-basic'] as string;
    const res = await form(
      { grant_type: 'client_credentials', client_id: 'oa-basic', client_secret: secret },
      { authorization: basic('oa-basic', secret) },
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('an unknown grant type: 400 unsupported_grant_type; a missing one: invalid_request', async () => {
    const auth = { client_id: 'oa-post', client_secret: secrets['oa-post'] as string };
    const password = await form({ grant_type: 'password', ...auth });
    expect(password.status).toBe(400);
    expect(password.body.error).toBe('unsupported_grant_type');
    const missing = await form(auth);
    expect(missing.body.error).toBe('invalid_request');
  });

  it("a scope outside the client's scopes: 400 invalid_scope", async () => {
    const res = await form({
      grant_type: 'client_credentials',
      scope: 'read write',
      client_id: 'oa-post',
      client_secret: secrets['oa-post'] as string,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_scope' });
  });

  it('grant_type twice, a body over 64 KiB, and a JSON body: 400 invalid_request, never a 5xx', async () => {
    const secret = encodeURIComponent(secrets['oa-post'] as string);
    const twice = await gw.call('sandbox', 'POST', '/oauth2/token', {
      body: `grant_type=client_credentials&grant_type=client_credentials&client_id=oa-post&client_secret=${secret}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error).toBe('invalid_request');
    const big = await form({
      grant_type: 'client_credentials',
      client_id: 'oa-post',
      client_secret: secrets['oa-post'] as string,
      pad: 'x'.repeat(65 * 1024),
    });
    expect(big.status).toBe(400);
    expect(big.body.error).toBe('invalid_request');
    const json = await gw.call('sandbox', 'POST', '/oauth2/token', { body: { grant_type: 'client_credentials' } });
    expect(json.status).toBe(400);
    expect(json.body.error).toBe('invalid_request');
    const badEscape = await gw.call('sandbox', 'POST', '/oauth2/token', {
      body: 'grant_type=%E0%A4%A',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(badEscape.status).toBe(400);
  });

  it('a private_key_jwt assertion used twice (its jti is single-use)', async () => {
    const once = await assertion();
    expect((await jwtGrant(once)).status).toBe(200);
    const again = await jwtGrant(once);
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('invalid_client');
  });

  it('an expired assertion, one living longer than the maximum, and one without exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const claims of [{ iat: now - 600, exp: now - 120 }, { exp: now + MAX_ASSERTION_LIFETIME_SECONDS + 3600 }, { exp: undefined }]) {
      const res = await jwtGrant(await assertion(claims));
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
    }
  });

  it('an assertion for another audience (another stage, or none of ours)', async () => {
    for (const aud of [gw.url('prod'), `${gw.url('prod')}/oauth2/token`, 'https://auth.example.com/token']) {
      const res = await jwtGrant(await assertion({ aud }, 'oa-jwt-aud'));
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
    }
  });

  it('an assertion MACed with the client secret (HS256), or signed by a key the client never registered', async () => {
    const now = Math.floor(Date.now() / 1000);
    const hmac = signHs256(secrets['oa-basic'] as string, {
      iss: 'oa-basic',
      sub: 'oa-basic',
      aud: issuer,
      jti: randomUUID(),
      exp: now + 60,
    });
    const hs = await jwtGrant(hmac);
    expect(hs.status).toBe(401);
    expect(hs.body.error).toBe('invalid_client');
    const stranger = await generateKeyPair('ES256');
    const forged = await new SignJWT({ iss: 'oa-jwt-key', sub: 'oa-jwt-key', aud: issuer, jti: randomUUID(), exp: now + 60 })
      .setProtectedHeader({ alg: 'ES256', kid: signingKey.kid })
      .sign(stranger.privateKey);
    expect((await jwtGrant(forged)).status).toBe(401);
  });

  it('an assertion whose sub is not its iss, or whose client_id names another client', async () => {
    expect((await jwtGrant(await assertion({ sub: 'someone-else' }))).status).toBe(401);
    expect((await jwtGrant(await assertion(), { client_id: 'oa-basic' })).status).toBe(401);
  });

  it('under the /authtoken lock-out: failures at either endpoint lock the client at both, from that address', async () => {
    for (let i = 0; i < FAILURE_LIMIT; i++)
      await form({ grant_type: 'client_credentials' }, { authorization: basic('oa-lock', `wrong-${i}`) });
    const locked = await form({ grant_type: 'client_credentials' }, { authorization: basic('oa-lock', secrets['oa-lock'] as string) });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toBe('rate_limited');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    const authtoken = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'oa-lock', clientSecret: secrets['oa-lock'] } });
    expect(authtoken.status).toBe(429);
  });
});

describe('issued tokens and the issuer identifier', () => {
  it('refuses a token of the other stage (its iss is the other base URL)', async () => {
    const prodSecret = await createClient(gw, 'prod', 'oa-basic', { scopes: ['read'] });
    const res = await form({ grant_type: 'client_credentials' }, { authorization: basic('oa-basic', prodSecret) }, 'prod');
    expect(res.status).toBe(200);
    const token = res.body.access_token as string;
    expect(claimsOf(token).iss).toBe(gw.url('prod'));
    const atSandbox = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
    expect(atSandbox.status).toBe(401);
    expect(atSandbox.body.error).toBe('invalid_token');
  });

  it('gives /authtoken tokens the same iss', async () => {
    const res = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'oa-post', clientSecret: secrets['oa-post'] } });
    expect(claimsOf(res.body.token as string).iss).toBe(issuer);
  });
});
