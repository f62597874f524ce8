/** private_key_jwt assertions (RFC 7523 §3) with real keys, a fixed clock and an in-memory directory. */
import { claimedClientName, MAX_ASSERTION_LIFETIME_SECONDS, verifyClientAssertion } from '../../lambdas/core/client-assertion';
import { CLOCK_SKEW_SECONDS } from '../../lambdas/core/claims';
import { MemoryDirectory } from '../support/fake-directory';
import { keyPair, signHs256, signRaw, signWith } from '../support/keys';

const NOW = 1_800_000_000;
const AUDIENCE = { issuer: 'https://api.acme.example', tokenEndpoint: 'https://api.acme.example/oauth2/token' };
const es = keyPair('ES256', 'es-1');
const rs = keyPair('RS256', 'rs-1');
const directory = new MemoryDirectory()
  .add({ clientName: 'acme-app', policy: { requiredClaims: [] }, secrets: ['the-secret'], jwks: { keys: [es.publicJwk, rs.publicJwk] } })
  .add({ clientName: 'keyless-app', policy: { requiredClaims: [] }, secrets: ['the-secret'] });

const claims = (extra: Record<string, unknown> = {}) => ({
  iss: 'acme-app',
  sub: 'acme-app',
  aud: AUDIENCE.issuer,
  jti: 'j-1',
  exp: NOW + 60,
  ...extra,
});
const verify = (token: string, client = 'acme-app') => verifyClientAssertion(token, client, directory, AUDIENCE, NOW);
const refusal = async (token: string, client = 'acme-app'): Promise<string> => {
  try {
    await verify(token, client);
  } catch (err) {
    return `${(err as { code: string }).code}: ${(err as Error).message}`;
  }
  throw new Error('expected a refusal');
};

describe('verifyClientAssertion', () => {
  test('accepts RS256 and ES256 assertions naming the issuer or the token endpoint in aud', async () => {
    await expect(verify(await signWith(es, claims()))).resolves.toMatchObject({ clientName: 'acme-app', jti: 'j-1', expiresAt: NOW + 60 });
    await expect(verify(await signWith(rs, claims({ aud: [AUDIENCE.tokenEndpoint, 'other'] })))).resolves.toMatchObject({
      clientName: 'acme-app',
    });
  });

  test('accepts exp up to the maximum lifetime (plus skew) ahead, and a just-expired one within the skew', async () => {
    await expect(
      verify(await signWith(es, claims({ exp: NOW + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS }))),
    ).resolves.toBeDefined();
    await expect(verify(await signWith(es, claims({ exp: NOW - CLOCK_SKEW_SECONDS + 1 })))).resolves.toBeDefined();
  });

  test.each([
    ['no exp', { exp: undefined }, /exp is required/],
    ['expired past the skew', { exp: NOW - CLOCK_SKEW_SECONDS - 1 }, /expired/],
    ['living too long', { exp: NOW + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS + 1 }, /more than 300 s/],
    ['nbf in the future', { nbf: NOW + 3600 }, /nbf/],
    ['iat in the future', { iat: NOW + 3600 }, /iat/],
    ['no jti', { jti: undefined }, /jti is required/],
    ['another audience', { aud: 'https://other.example' }, /aud must be/],
    ['no audience', { aud: undefined }, /aud must be/],
  ])('refuses an assertion with %s (invalid_client)', async (_name, extra, message) => {
    expect(await refusal(await signWith(es, claims(extra)))).toMatch(new RegExp(`^invalid_client: .*${message.source}`));
  });

  test('refuses an assertion MACed with the client secret, with alg none, or with a header key', async () => {
    expect(await refusal(signHs256('the-secret', claims()))).toMatch(/^invalid_client: .*RS256\/384\/512 or ES256/);
    expect(await refusal(signRaw(es, { alg: 'ES256', kid: 'es-1', jwk: es.publicJwk }, claims()))).toMatch(/header jwk/);
    expect(
      await refusal(
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`,
      ),
    ).toMatch(/^invalid_client/);
  });

  test('refuses a signature from another key, an alg that does not fit the key, and a client without keys alike', async () => {
    const stranger = keyPair('ES256', 'es-1');
    const notVerified = /not verified with the client's registered keys/;
    expect(await refusal(await signWith(stranger, claims()))).toMatch(notVerified);
    expect(await refusal(signRaw(rs, { alg: 'RS256', kid: 'es-1' }, claims()))).toMatch(notVerified);
    expect(await refusal(await signWith(es, claims({ iss: 'keyless-app', sub: 'keyless-app' })), 'keyless-app')).toMatch(notVerified);
    expect(await refusal(await signWith(es, claims({ iss: 'ghost-app', sub: 'ghost-app' })), 'ghost-app')).toMatch(notVerified);
  });

  test('needs a kid when the client has several keys', async () => {
    expect(await refusal(signRaw(es, { alg: 'ES256' }, claims()))).toMatch(/not verified/);
  });
});

describe('claimedClientName', () => {
  test('reads iss when it equals sub and any client_id', async () => {
    expect(claimedClientName(await signWith(es, claims()), 'acme-app')).toBe('acme-app');
  });

  test('refuses sub ≠ iss, an iss that is no clientName, a client_id naming another client, and a non-JWT', async () => {
    await expect(async () => claimedClientName(await signWith(es, claims({ sub: 'x-app' })), undefined)).rejects.toMatchObject({
      code: 'invalid_client',
    });
    await expect(async () =>
      claimedClientName(await signWith(es, claims({ iss: 'https://x', sub: 'https://x' })), undefined),
    ).rejects.toMatchObject({ code: 'invalid_client' });
    await expect(async () => claimedClientName(await signWith(es, claims()), 'other-app')).rejects.toMatchObject({
      code: 'invalid_client',
    });
    expect(() => claimedClientName('not-a-jwt', undefined)).toThrow(expect.objectContaining({ code: 'invalid_client' }));
  });
});
