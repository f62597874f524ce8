/**
 * The deployment's own signing keys (ES256): generation, the public JWK we publish,
 * and the private key we sign with. Private keys exist in memory only; the store
 * keeps them envelope-encrypted.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { VerificationKey } from './verification-key';

export interface SigningKey {
  kid: string;
  alg: 'ES256';
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface PublicJwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  kid: string;
  alg: string;
  use: 'sig';
}

/** RFC 7638 thumbprint, so a kid never depends on a counter or a clock. */
function thumbprint(jwk: { crv?: string; kty?: string; x?: string; y?: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function generateSigningKey(): { key: SigningKey; privatePkcs8: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = thumbprint(publicKey.export({ format: 'jwk' }));
  const privatePkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  return { key: { kid, alg: 'ES256', privateKey, publicKey }, privatePkcs8 };
}

export function signingKeyFromPkcs8(kid: string, pkcs8: Buffer): SigningKey {
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return { kid, alg: 'ES256', privateKey, publicKey: createPublicKey(privateKey) };
}

export function publicJwkOf(key: SigningKey): PublicJwk {
  const jwk = key.publicKey.export({ format: 'jwk' });
  return { kty: jwk.kty as string, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: key.kid, alg: key.alg, use: 'sig' };
}

export function verificationKeyOf(key: Pick<SigningKey, 'kid' | 'publicKey'>): VerificationKey {
  return { kid: key.kid, algs: ['ES256'], key: key.publicKey, source: 'deployment' };
}
