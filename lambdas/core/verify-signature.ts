/**
 * Signature checks on node:crypto with keys imported once. jose verifies through
 * WebCrypto, an asynchronous thread-pool hop per call; this synchronous path is
 * several times faster (see bench/ and the README). jose stays in use for key
 * import helpers and for signing.
 */
import { createHmac, timingSafeEqual, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { ALG_SPECS, type AsymmetricAlg } from './algorithms';

/**
 * ECDSA signatures must be exactly r || s of the curve's size (IEEE P1363), and r, s must
 * lie in [1, n-1]: OpenSSL rejects zero and out-of-range values, which closes
 * CVE-2022-21449-style "psychic signatures"; the length check refuses DER and padded forms.
 */
export function verifyAsymmetric(alg: AsymmetricAlg, key: KeyObject, signingInput: string, signature: Buffer): boolean {
  const spec = ALG_SPECS[alg];
  if (spec.kty === 'EC') {
    if (signature.length !== spec.signatureLength) return false;
    const half = signature.length / 2;
    if (isZero(signature, 0, half) || isZero(signature, half, signature.length)) return false;
    return cryptoVerify(spec.hash, asciiBytes(signingInput), { key, dsaEncoding: 'ieee-p1363' }, signature);
  }
  return cryptoVerify(spec.hash, asciiBytes(signingInput), key, signature);
}

/** The signing input is base64url and '.', all ASCII (parseJwt checked it): latin1 copies it byte for byte, without UTF-8 encoding. */
function asciiBytes(signingInput: string): Buffer {
  return Buffer.from(signingInput, 'latin1');
}

function isZero(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}

/** HS256 with the secret's UTF-8 bytes as key (as `jsonwebtoken.sign(payload, secret)` does). */
export function verifyHs256(secret: string | Buffer, signingInput: string, signature: Buffer): boolean {
  const expected = createHmac('sha256', secret).update(signingInput).digest();
  return expected.length === signature.length && timingSafeEqual(expected, signature);
}
