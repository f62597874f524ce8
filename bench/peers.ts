/**
 * What we compare our verifier with, each built once per row as a warm authorizer would:
 * - raw: the floor. Split, base64url-decode, one node:crypto check on a pre-imported
 *   KeyObject, JSON.parse, exp/nbf/iss/aud. No lookup, no hostile-input checks.
 * - aws-jwt-verify: JwtVerifier with the JWKS cached up front, verifySync (RS/ES only).
 * - jose: jwtVerify + createLocalJWKSet (or the secret), the straightforward authorizer.
 * - fast-jwt: createVerifier with its token cache off.
 */
import { createHmac, timingSafeEqual, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { JwtVerifier } from 'aws-jwt-verify';
import { createVerifier } from 'fast-jwt';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { RowCase } from './fixtures';

export type Verify = (token: string) => unknown;

export function rawVerifier(c: RowCase): Verify {
  const hash = 'sha256';
  const key = c.key;
  const keyInput = c.alg === 'ES256' ? { key: key as KeyObject, dsaEncoding: 'ieee-p1363' as const } : (key as KeyObject);
  return (token) => {
    const a = token.indexOf('.');
    const b = token.indexOf('.', a + 1);
    const header = JSON.parse(Buffer.from(token.slice(0, a), 'base64url').toString('utf8')) as { alg?: string };
    if (header.alg !== c.alg) throw new Error('alg');
    const signature = Buffer.from(token.slice(b + 1), 'base64url');
    const input = token.slice(0, b);
    const ok =
      c.alg === 'HS256'
        ? (() => {
            const mac = createHmac(hash, key).update(input).digest();
            return mac.length === signature.length && timingSafeEqual(mac, signature);
          })()
        : cryptoVerify(hash, Buffer.from(input), keyInput, signature);
    if (!ok) throw new Error('signature');
    const p = JSON.parse(Buffer.from(token.slice(a + 1, b), 'base64url').toString('utf8')) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    if (typeof p.exp !== 'number' || now > p.exp) throw new Error('exp');
    if (typeof p.nbf === 'number' && now < p.nbf) throw new Error('nbf');
    if (p.iss !== c.issuer) throw new Error('iss');
    if (c.audience !== undefined && p.aud !== c.audience) throw new Error('aud');
    return p;
  };
}

export function awsJwtVerifier(c: RowCase): Verify | undefined {
  if (c.alg === 'HS256' || !c.jwks) return undefined; // aws-jwt-verify has no HMAC support
  const verifier = JwtVerifier.create({ issuer: c.issuer, audience: c.audience ?? null, jwksUri: 'https://bench.invalid/jwks.json' });
  verifier.cacheJwks(c.jwks as unknown as Parameters<typeof verifier.cacheJwks>[0]);
  return (token) => verifier.verifySync(token);
}

export function joseVerifier(c: RowCase): Verify {
  const options = { issuer: c.issuer, algorithms: [c.alg], ...(c.audience ? { audience: c.audience } : {}) };
  if (c.alg === 'HS256') {
    const secret = new Uint8Array(c.key as Buffer);
    return (token) => jwtVerify(token, secret, options);
  }
  const jwks = createLocalJWKSet(c.jwks as unknown as Parameters<typeof createLocalJWKSet>[0]);
  return (token) => jwtVerify(token, jwks, options);
}

export function fastJwtVerifier(c: RowCase): Verify {
  const key =
    c.alg === 'HS256' ? (c.key as Buffer).toString('utf8') : (c.key as KeyObject).export({ format: 'pem', type: 'spki' }).toString();
  const verify = createVerifier({
    key,
    algorithms: [c.alg],
    allowedIss: c.issuer,
    ...(c.audience ? { allowedAud: c.audience } : {}),
    cache: false,
  });
  return (token): unknown => verify(token);
}
