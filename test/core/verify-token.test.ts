import { createHmac, createPublicKey } from 'node:crypto';
import { issueAccessToken } from '../../lambdas/core/issue-token';
import { generateSigningKey, verificationKeyOf } from '../../lambdas/core/signing-key';
import { createTokenVerifier, type VerifierDeps } from '../../lambdas/core/verify-token';
import { MemoryDirectory, MemoryKeySet } from '../support/fake-directory';
import { selfSignedCertificate } from '../support/x509';
import { b64url, keyPair, rawToken, signHs256, signRaw, signWith, type TestAlg } from '../support/keys';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const now = Math.floor(NOW / 1000);
const ISSUER = 'workoutkit:acme:sandbox';
const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA';

const deploymentKey = generateSigningKey().key;
const es256 = keyPair('ES256', 'client-es256');
const rs256 = keyPair('RS256', 'client-rs256');

function setup(overrides: Partial<VerifierDeps> = {}, clockMs = NOW) {
  const directory = new MemoryDirectory()
    .add({
      clientName: 'acme-app',
      secrets: [SECRET],
      scopes: ['read', 'write'],
      policy: { requiredClaims: [] },
      jwks: { keys: [es256.publicJwk, rs256.publicJwk] },
    })
    .add({ clientName: 'other-app', secrets: ['other-secret'], policy: { requiredClaims: [] } });
  const verify = createTokenVerifier({
    issuer: ISSUER,
    deploymentKeys: new MemoryKeySet([verificationKeyOf(deploymentKey)]),
    clientDirectory: directory,
    clock: () => clockMs,
    ...overrides,
  });
  return { verify, directory };
}

const rejects = async (p: Promise<unknown>, code: string) => {
  await expect(p).rejects.toMatchObject({ code });
};

describe('issued tokens', () => {
  it('verifies a token from issueAccessToken and carries the client scopes', async () => {
    const { verify } = setup();
    const issued = await issueAccessToken(
      { clientName: 'acme-app', userInfo: { name: 'x' }, sub: 'user-1', scopes: ['read'] },
      deploymentKey,
      ISSUER,
      NOW,
    );
    const entity = await verify(issued.token);
    expect(entity).toMatchObject({
      clientName: 'acme-app',
      sub: 'user-1',
      tokenKind: 'issued',
      alg: 'ES256',
      kid: deploymentKey.kid,
      scope: ['read'],
      expiresAt: now + 4 * 3600,
    });
  });

  it('allows 60 s of clock skew after exp and refuses past it', async () => {
    const issued = await issueAccessToken({ clientName: 'acme-app', userInfo: {} }, deploymentKey, ISSUER, NOW);
    await expect(setup({}, NOW + (4 * 3600 + 60) * 1000).verify(issued.token)).resolves.toBeDefined();
    await rejects(setup({}, NOW + (4 * 3600 + 61) * 1000).verify(issued.token), 'token_expired');
  });

  it('refuses a token issued by another stage (sandbox token sent to prod)', async () => {
    const issued = await issueAccessToken({ clientName: 'acme-app', userInfo: {} }, deploymentKey, 'workoutkit:acme:prod', NOW);
    await rejects(setup().verify(issued.token), 'invalid_token');
  });

  it('refuses an unknown kid and a tampered payload', async () => {
    const other = generateSigningKey().key;
    const foreign = await issueAccessToken({ clientName: 'acme-app', userInfo: {} }, other, ISSUER, NOW);
    await rejects(setup().verify(foreign.token), 'invalid_token');
    const good = await issueAccessToken({ clientName: 'acme-app', userInfo: {} }, deploymentKey, ISSUER, NOW);
    const [h, , s] = good.token.split('.');
    const tampered = `${h}.${b64url({ iss: ISSUER, clientName: 'other-app', token_use: 'access', exp: now + 100, iat: now })}.${s}`;
    await rejects(setup().verify(tampered), 'invalid_signature');
  });

  it('refuses a launch token presented as a bearer token', async () => {
    const pair = {
      alg: 'ES256' as const,
      kid: deploymentKey.kid,
      privateKey: deploymentKey.privateKey,
      publicKey: deploymentKey.publicKey,
      publicJwk: {},
    };
    const launch = await signWith(pair, { iss: ISSUER, clientName: 'acme-app', token_use: 'launch', exp: now + 100 });
    await rejects(setup().verify(launch), 'invalid_token');
  });

  it('refuses tokens of a client that was deleted', async () => {
    const issued = await issueAccessToken({ clientName: 'gone-app', userInfo: {} }, deploymentKey, ISSUER, NOW);
    await rejects(setup().verify(issued.token), 'invalid_token');
  });
});

describe('reads on the way to a verdict', () => {
  /** A read that answers only when released, recording when it started. */
  function gate<T>(value: T, started: string[], name: string) {
    let release!: () => void;
    const opened = new Promise<void>((r) => (release = r));
    return { read: () => (started.push(name), opened.then(() => value)), release: () => release() };
  }

  it('starts the key, client and revocation reads of an issued token together, and still refuses a revoked one', async () => {
    const started: string[] = [];
    const { directory } = setup();
    const key = gate(verificationKeyOf(deploymentKey), started, 'key');
    const client = gate(await directory.get('acme-app'), started, 'client');
    const revoked = gate(true, started, 'revocation');
    const verify = createTokenVerifier({
      issuer: ISSUER,
      deploymentKeys: { get: key.read },
      clientDirectory: { get: client.read, keysFor: async () => [] },
      revocations: { isRevoked: revoked.read },
      clock: () => NOW,
    });
    const issued = await issueAccessToken({ clientName: 'acme-app', userInfo: {} }, deploymentKey, ISSUER, NOW);
    const verdict = verify(issued.token);
    await new Promise((r) => setImmediate(r));
    expect(started.sort()).toEqual(['client', 'key', 'revocation']);
    key.release();
    client.release();
    revoked.release();
    await rejects(verdict, 'token_revoked');
  });

  it('refuses a forged token by its signature even when a read started alongside fails', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const failing = () => Promise.reject(new Error('store down'));
      const verify = createTokenVerifier({
        issuer: ISSUER,
        deploymentKeys: new MemoryKeySet([verificationKeyOf(deploymentKey)]),
        clientDirectory: { get: failing, keysFor: async () => [] },
        revocations: { isRevoked: failing },
        clock: () => NOW,
      });
      const other = generateSigningKey().key;
      const forged = await issueAccessToken({ clientName: 'acme-app', userInfo: {} }, { ...other, kid: deploymentKey.kid }, ISSUER, NOW);
      await rejects(verify(forged.token), 'invalid_signature');
      await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('client HS256 tokens', () => {
  it('accepts a token naming its client in clientName or in iss', async () => {
    const { verify } = setup();
    await expect(verify(signHs256(SECRET, { clientName: 'acme-app', sub: 'u', exp: now + 60 }))).resolves.toMatchObject({
      tokenKind: 'client-hs256',
      alg: 'HS256',
    });
    await expect(verify(signHs256(SECRET, { iss: 'acme-app' }))).resolves.toMatchObject({ clientName: 'acme-app' });
  });

  it('refuses clientName and iss that disagree', async () => {
    await rejects(setup().verify(signHs256(SECRET, { clientName: 'acme-app', iss: 'other-app' })), 'invalid_token');
  });

  it('answers a wrong secret and an unknown client alike (invalid_signature)', async () => {
    await rejects(setup().verify(signHs256('wrong', { clientName: 'acme-app' })), 'invalid_signature');
    await rejects(setup().verify(signHs256(SECRET, { clientName: 'nobody-here' })), 'invalid_signature');
  });

  it("rejects an HS256 token signed with the client's RSA public key (algorithm confusion)", async () => {
    const pem = rs256.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    await rejects(setup().verify(signHs256(pem, { clientName: 'acme-app' })), 'invalid_signature');
  });

  it('intersects the token scope with the client scopes (array or space-separated)', async () => {
    const { verify } = setup();
    await expect(verify(signHs256(SECRET, { clientName: 'acme-app', scope: 'read admin' }))).resolves.toMatchObject({ scope: ['read'] });
    await expect(verify(signHs256(SECRET, { clientName: 'acme-app', scope: ['write', 'settings'] }))).resolves.toMatchObject({
      scope: ['write'],
    });
  });
});

describe('client asymmetric tokens', () => {
  it.each<TestAlg>(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'])('verifies %s against the registered JWKS', async (alg) => {
    const pair = keyPair(alg);
    const { verify, directory } = setup();
    directory.add({ clientName: 'multi-app', policy: { requiredClaims: [] }, jwks: { keys: [pair.publicJwk, es256.publicJwk] } });
    await expect(verify(await signWith(pair, { iss: 'multi-app', sub: 'u' }))).resolves.toMatchObject({
      tokenKind: 'client-asymmetric',
      alg,
      kid: pair.kid,
    });
  });

  it('verifies against a PEM public key and an X.509-less SPKI without kid', async () => {
    const { verify, directory } = setup();
    directory.add({
      clientName: 'pem-app',
      policy: { requiredClaims: [] },
      pem: es256.publicKey.export({ format: 'pem', type: 'spki' }) as string,
    });
    await expect(verify(await signWith({ ...es256, kid: 'anything' }, { iss: 'pem-app' }, { kid: undefined }))).resolves.toMatchObject({
      clientName: 'pem-app',
    });
  });

  it("stops verifying with a certificate's key once the certificate has expired", async () => {
    const cert = selfSignedCertificate(es256, new Date(NOW - 86_400_000), new Date(NOW + 3_600_000));
    const token = await signWith({ ...es256, kid: 'anything' }, { iss: 'cert-app' }, { kid: undefined });
    const at = (ms: number) => {
      const s = setup({}, ms);
      s.directory.add({ clientName: 'cert-app', policy: { requiredClaims: [] }, pem: cert.pem });
      return s.verify(token);
    };
    await expect(at(NOW)).resolves.toMatchObject({ clientName: 'cert-app' });
    await expect(at(NOW + 2 * 3_600_000)).rejects.toMatchObject({ status: 401 });
  });

  it('takes the algorithm from the key: RS384 on an RS256 key is refused', async () => {
    const token = signRaw({ ...rs256, alg: 'RS384' }, { alg: 'RS384', kid: rs256.kid }, { iss: 'acme-app' });
    await rejects(setup().verify(token), 'invalid_signature');
  });

  it('refuses an unknown kid, and a token without kid when several keys are registered, as it refuses a client that does not exist', async () => {
    const { verify } = setup();
    const texts = await Promise.all(
      [
        signWith({ ...es256, kid: 'nope' }, { iss: 'acme-app' }),
        Promise.resolve(signRaw(es256, { alg: 'ES256' }, { iss: 'acme-app' })),
        signWith(es256, { iss: 'no-such-app' }),
      ].map(async (t) => verify(await t).catch((e: { code: string; message: string }) => `${e.code}: ${e.message}`)),
    );
    expect(new Set(texts)).toEqual(new Set(['invalid_signature: Signature does not verify with a key registered for the client']));
  });

  it('refuses a token of one client verified as another', async () => {
    const token = await signWith(es256, { iss: 'other-app' });
    await rejects(setup().verify(token), 'invalid_signature');
  });

  it('refuses ECDSA signatures with r or s zero (CVE-2022-21449) and DER-encoded ones', async () => {
    const header = b64url({ alg: 'ES256', kid: es256.kid });
    const payload = b64url({ iss: 'acme-app' });
    const { verify } = setup();
    await rejects(verify(`${header}.${payload}.${Buffer.alloc(64).toString('base64url')}`), 'invalid_signature');
    const good = await signWith(es256, { iss: 'acme-app' });
    const sig = Buffer.from(good.split('.')[2] as string, 'base64url');
    const rZero = Buffer.concat([Buffer.alloc(32), sig.subarray(32)]);
    await rejects(verify(`${good.split('.').slice(0, 2).join('.')}.${rZero.toString('base64url')}`), 'invalid_signature');
    const padded = Buffer.concat([sig, Buffer.alloc(1)]);
    await rejects(verify(`${good.split('.').slice(0, 2).join('.')}.${padded.toString('base64url')}`), 'invalid_signature');
  });
});

describe('hostile headers and claims', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg %s', async (alg) => {
    await rejects(setup().verify(`${b64url({ alg })}.${b64url({ iss: 'acme-app' })}.`), 'invalid_token');
    await rejects(setup().verify(rawToken({ alg }, { iss: 'acme-app' }, () => Buffer.from('x'))), 'invalid_token');
  });

  it.each(['jwk', 'jku', 'x5u', 'x5c'])('refuses a %s header even when it carries a registered key', async (name) => {
    const value = name === 'jwk' ? es256.publicJwk : name === 'x5c' ? ['MIIB'] : 'https://attacker.example/keys';
    await rejects(setup().verify(await signWith(es256, { iss: 'acme-app' }, { [name]: value })), 'invalid_token');
  });

  it('refuses unknown crit headers and b64:false', async () => {
    await rejects(
      setup().verify(signRaw(es256, { alg: 'ES256', kid: es256.kid, crit: ['exp'], exp: 1 }, { iss: 'acme-app' })),
      'invalid_token',
    );
    await rejects(
      setup().verify(signRaw(es256, { alg: 'ES256', kid: es256.kid, b64: false, crit: ['b64'] }, { iss: 'acme-app' })),
      'invalid_token',
    );
  });

  it('refuses numeric claims given as strings', async () => {
    await rejects(setup().verify(signHs256(SECRET, { clientName: 'acme-app', exp: String(now + 60) })), 'invalid_token');
    await rejects(setup().verify(signHs256(SECRET, { clientName: 'acme-app', nbf: `${now}` })), 'invalid_token');
  });

  it('refuses duplicate JSON keys', async () => {
    const payload = `{"clientName":"acme-app","exp":${now - 1000},"exp":${now + 1000}}`;
    const token = rawToken({ alg: 'HS256' }, payload, (input) => createHmac('sha256', SECRET).update(input).digest());
    await rejects(setup().verify(token), 'invalid_token');
  });

  it('refuses truncated, padded, non-base64url and over-long tokens', async () => {
    const good = signHs256(SECRET, { clientName: 'acme-app' });
    const { verify } = setup();
    const [h, p, sig] = good.split('.') as [string, string, string];
    const shortSig = Buffer.from(sig, 'base64url').subarray(0, 31).toString('base64url');
    await rejects(verify(`${h}.${p}.${shortSig}`), 'invalid_signature');
    await rejects(verify(good.slice(0, h.length + 10)), 'invalid_token');
    await rejects(verify(`${h}.${p}.${sig}!`), 'invalid_token');
    await rejects(verify(`${good}==`), 'invalid_token');
    await rejects(verify(good.replace('.', '.+/')), 'invalid_token');
    await rejects(verify(good.split('.').slice(0, 2).join('.')), 'invalid_token');
    await rejects(verify(signHs256(SECRET, { clientName: 'acme-app', pad: 'x'.repeat(9000) })), 'invalid_token');
  });

  it('checks exp and nbf at the skew boundary', async () => {
    const { verify } = setup();
    await expect(verify(signHs256(SECRET, { clientName: 'acme-app', exp: now - 60 }))).resolves.toBeDefined();
    await rejects(verify(signHs256(SECRET, { clientName: 'acme-app', exp: now - 61 })), 'token_expired');
    await expect(verify(signHs256(SECRET, { clientName: 'acme-app', nbf: now + 60 }))).resolves.toBeDefined();
    await rejects(verify(signHs256(SECRET, { clientName: 'acme-app', nbf: now + 61 })), 'token_expired');
  });
});

describe('client claim policy', () => {
  const strict = () => {
    const s = setup();
    s.directory.add({
      clientName: 'strict-app',
      secrets: [SECRET],
      policy: { requiredClaims: ['exp', 'iat', 'iss', 'aud'], audience: 'workoutkit', maxTokenLifetimeSeconds: 300 },
    });
    return s.verify;
  };
  const base = { iss: 'strict-app', aud: 'workoutkit', iat: now, exp: now + 300 };

  it('accepts a token that meets every rule, with aud as an array', async () => {
    await expect(strict()(signHs256(SECRET, { ...base, aud: ['other', 'workoutkit'] }))).resolves.toMatchObject({
      clientName: 'strict-app',
    });
  });

  it('names a missing required claim', async () => {
    const { aud: _aud, ...noAud } = base;
    await rejects(strict()(signHs256(SECRET, noAud)), 'missing_required_claim');
  });

  it('refuses the wrong audience and a lifetime over the maximum', async () => {
    await rejects(strict()(signHs256(SECRET, { ...base, aud: 'someone-else' })), 'invalid_token');
    await rejects(strict()(signHs256(SECRET, { ...base, exp: now + 301 })), 'invalid_token');
  });

  it('revokes every token issued before the client cut-off, and tokens without iat', async () => {
    const { verify, directory } = setup();
    directory.add({ clientName: 'cut-app', secrets: [SECRET], policy: { requiredClaims: [] }, revokedBefore: now - 10 });
    await rejects(verify(signHs256(SECRET, { iss: 'cut-app', iat: now - 11 })), 'token_revoked');
    await rejects(verify(signHs256(SECRET, { iss: 'cut-app' })), 'token_revoked');
    await expect(verify(signHs256(SECRET, { iss: 'cut-app', iat: now - 5 }))).resolves.toBeDefined();
  });
});

it('keeps the public key of the deployment usable as a plain KeyObject', () => {
  expect(createPublicKey(deploymentKey.privateKey).asymmetricKeyType).toBe('ec');
});
