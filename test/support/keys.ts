/**
 * Real keys and real signatures for tests: RSA and EC key pairs generated once per file,
 * tokens signed with jose (as an integrator would) or assembled by hand for hostile cases.
 */
import { createHmac, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';

export type TestAlg = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

export interface TestKeyPair {
  alg: TestAlg;
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

const CURVE: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

export function keyPair(alg: TestAlg, kid = `${alg.toLowerCase()}-key`): TestKeyPair {
  const pair = alg.startsWith('RS')
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: CURVE[alg] as string });
  const publicJwk = { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  return { alg, kid, privateKey: pair.privateKey, publicKey: pair.publicKey, publicJwk };
}

export async function signWith(pair: TestKeyPair, payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: pair.alg, kid: pair.kid, ...header }).sign(pair.privateKey);
}

/** HS256 exactly as `jsonwebtoken.sign(payload, secret)`: the HMAC key is the secret's UTF-8 bytes. */
export function signHs256(secret: string | Buffer, payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return rawToken({ alg: 'HS256', typ: 'JWT', ...header }, payload, (input) => createHmac('sha256', secret).update(input).digest());
}

export function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** Assembles a compact JWS from raw parts, for inputs jose refuses to produce. */
export function rawToken(
  header: Record<string, unknown>,
  payload: Record<string, unknown> | string,
  sign: (signingInput: string) => Buffer,
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${sign(input).toString('base64url')}`;
}

/** RS/ES signature by node:crypto, for hand-built headers. */
export function signRaw(pair: TestKeyPair, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const hash = `sha${pair.alg.slice(2)}`;
  return rawToken(header, payload, (input) => {
    const signer = createSign(hash);
    signer.update(input);
    return pair.alg.startsWith('ES') ? signer.sign({ key: pair.privateKey, dsaEncoding: 'ieee-p1363' }) : signer.sign(pair.privateKey);
  });
}

export const nowSeconds = (ms: number = Date.now()): number => Math.floor(ms / 1000);
