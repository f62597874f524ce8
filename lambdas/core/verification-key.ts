/**
 * Public keys imported once into node:crypto KeyObjects, with the algorithms
 * they may verify fixed at import time (from JWK `alg`, else `kty`/`crv`).
 *
 * One acceptance policy for every way a client registers keys (inline JWKS, JWKS URL, PEM):
 *  - RSA: a modulus of 2048 to 8192 bits and an odd public exponent from 65537 to 2^256 − 1
 *    (NIST SP 800-56B / FIPS 186-5 bounds). A small exponent is refused, not just e = 1
 *    (anyone could "sign": the signature is the padded digest itself): 3 is permitted by PKCS#1
 *    but invites Bleichenbacher-style forgeries against lax verifiers, and no integrator needs it;
 *    the upper bound also refuses e = n. The modulus cap bounds the cost of one verification.
 *  - EC: the named curves P-256, P-384 and P-521 only (no explicit parameters).
 *  - JWK `use`, when present, is `sig`; `key_ops`, when present, includes `verify`.
 *  - An X.509 certificate (a PEM certificate, or a JWK's `x5c`) must hold the same key and is
 *    usable only inside its validity window: refused at registration outside it, and the
 *    verifier skips it once it has expired (keyUsableAt).
 *  - A PEM holds exactly one public key or certificate, and nothing else.
 */
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { ALG_SPECS, EC_ALG_BY_CURVE, type AsymmetricAlg } from './algorithms';
import { InvalidRequestError } from './errors';

export interface VerificationKey {
  kid?: string;
  /** The algorithms this key verifies; a token's `alg` must be one of them. */
  algs: readonly AsymmetricAlg[];
  key: KeyObject;
  /** Where it came from, for the settings view. */
  source: 'jwks' | 'jwks_uri' | 'pem' | 'deployment';
  /** Epoch seconds: the validity window of the certificate that carried the key, if any. */
  notBefore?: number;
  notAfter?: number;
}

/** Whether a key may verify at `nowSeconds` (a certificate's key only inside its window). */
export function keyUsableAt(key: VerificationKey, nowSeconds: number): boolean {
  return (key.notBefore === undefined || nowSeconds >= key.notBefore) && (key.notAfter === undefined || nowSeconds <= key.notAfter);
}

const RSA_ALGS: readonly AsymmetricAlg[] = ['RS256', 'RS384', 'RS512'];
const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 8192;
const MIN_RSA_EXPONENT = 65537n;
const MAX_RSA_EXPONENT = (1n << 256n) - 1n;
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

function bad(message: string, cause?: unknown): never {
  throw new InvalidRequestError(message, cause === undefined ? undefined : { cause });
}

/** The algorithms a KeyObject supports, narrowed by a declared `alg` if any. */
function algsFor(key: KeyObject, declaredAlg: unknown, where: string): AsymmetricAlg[] {
  let algs: AsymmetricAlg[];
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) bad(`${where}: RSA keys must have at least ${MIN_RSA_BITS} bits`);
    if (bits > MAX_RSA_BITS) bad(`${where}: RSA keys must have at most ${MAX_RSA_BITS} bits`);
    const e = key.asymmetricKeyDetails?.publicExponent;
    if (typeof e !== 'bigint' || e % 2n === 0n || e < MIN_RSA_EXPONENT || e > MAX_RSA_EXPONENT) {
      bad(`${where}: the RSA public exponent must be odd, from 65537 to 2^256-1`);
    }
    algs = [...RSA_ALGS];
  } else if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const named = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : undefined;
    const alg = named ? EC_ALG_BY_CURVE[named] : undefined;
    if (!alg) bad(`${where}: unsupported EC curve`);
    algs = [alg];
  } else {
    bad(`${where}: unsupported key type (RSA or EC P-256/P-384/P-521 only)`);
  }
  if (declaredAlg !== undefined) {
    if (typeof declaredAlg !== 'string' || !(algs as string[]).includes(declaredAlg)) {
      bad(`${where}: alg ${typeof declaredAlg === 'string' ? declaredAlg : `of type ${typeof declaredAlg}`} does not match the key type`);
    }
    algs = [declaredAlg as AsymmetricAlg];
  }
  return algs;
}

export function importJwk(jwk: unknown, source: VerificationKey['source'], where = 'key'): VerificationKey {
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) bad(`${where}: not a JSON object`);
  const j = jwk as Record<string, unknown>;
  if (PRIVATE_JWK_MEMBERS.some((m) => m in j)) bad(`${where}: private or symmetric keys are refused`);
  if (j.kty !== 'RSA' && j.kty !== 'EC') bad(`${where}: unsupported kty ${String(j.kty)}`);
  if (j.use !== undefined && j.use !== 'sig') bad(`${where}: use must be "sig"`);
  if (j.key_ops !== undefined) {
    const ops = j.key_ops;
    if (!Array.isArray(ops) || ops.length > 8 || !ops.every((o) => typeof o === 'string') || new Set(ops).size !== ops.length) {
      bad(`${where}: key_ops must be an array of distinct strings`);
    }
    if (!ops.includes('verify')) bad(`${where}: key_ops must include "verify"`);
  }
  if (j.kid !== undefined && (typeof j.kid !== 'string' || j.kid.length === 0 || j.kid.length > 256)) {
    bad(`${where}: kid must be a non-empty string`);
  }
  if (j.kty === 'EC' && j.alg !== undefined && typeof j.crv === 'string') {
    const spec = ALG_SPECS[j.alg as AsymmetricAlg];
    if (spec && spec.crv !== j.crv) bad(`${where}: alg ${j.alg as AsymmetricAlg} does not match curve ${j.crv}`);
  }
  let key: KeyObject;
  try {
    const { kty, n, e, crv, x, y } = j;
    key = createPublicKey({ key: { kty, n, e, crv, x, y } as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch (cause) {
    bad(`${where}: malformed JWK`, cause);
  }
  const vk: VerificationKey = { algs: algsFor(key, j.alg, where), key, source };
  if (typeof j.kid === 'string') vk.kid = j.kid;
  if (j.x5c !== undefined) {
    // RFC 7517 §4.7: the first certificate holds the key; it must be this key, and its window applies.
    const chain = j.x5c;
    if (!Array.isArray(chain) || chain.length === 0 || chain.length > 10 || typeof chain[0] !== 'string' || chain[0].length > 16384) {
      bad(`${where}: x5c must be an array of base64 certificates`);
    }
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(Buffer.from(chain[0], 'base64'));
    } catch (cause) {
      bad(`${where}: x5c[0] is not an X.509 certificate`, cause);
    }
    if (!sameKey(cert.publicKey, key)) bad(`${where}: x5c[0] certifies another key`);
    Object.assign(vk, windowOf(cert));
  }
  return vk;
}

function sameKey(a: KeyObject, b: KeyObject): boolean {
  const der = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
  return der(a).equals(der(b));
}

function windowOf(cert: X509Certificate): { notBefore: number; notAfter: number } {
  const notBefore = Math.floor(Date.parse(cert.validFrom) / 1000);
  const notAfter = Math.floor(Date.parse(cert.validTo) / 1000);
  if (!Number.isFinite(notBefore) || !Number.isFinite(notAfter)) bad('certificate: unreadable validity period');
  return { notBefore, notAfter };
}

/** Registration: every key must be usable now (a certificate inside its validity window). */
export function assertUsableNow(keys: readonly VerificationKey[], nowSeconds: number): void {
  for (const k of keys) {
    if (!keyUsableAt(k, nowSeconds))
      bad(`${k.kid === undefined ? 'key' : `key ${k.kid}`}: the certificate is outside its validity period (expired or not yet valid)`);
  }
}

export function importJwks(jwks: unknown, source: 'jwks' | 'jwks_uri'): VerificationKey[] {
  if (jwks === null || typeof jwks !== 'object' || !Array.isArray((jwks as { keys?: unknown }).keys)) {
    bad('jwks: expected {"keys": [...]}');
  }
  const keys = (jwks as { keys: unknown[] }).keys;
  if (keys.length === 0 || keys.length > 20) bad('jwks: 1 to 20 keys');
  const imported = keys.map((k, i) => importJwk(k, source, `jwks.keys[${i}]`));
  const kids = imported.map((k) => k.kid);
  if (imported.length > 1 && kids.some((k) => k === undefined)) bad('jwks: with several keys, every key needs a kid');
  if (new Set(kids).size !== kids.length) bad('jwks: duplicate kid');
  return imported;
}

const PEM_LABELS = ['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE'] as const;
/** Exactly one PEM block, nothing around it but white space (RFC 7468 §2, strict base64 lines). */
const ONE_PEM_BLOCK = /^\s*-----BEGIN ([A-Z0-9 ]{1,40})-----\r?\n((?:[A-Za-z0-9+/=]{1,76}\r?\n)+)-----END \1-----\s*$/;

/** An SPKI (or PKCS#1 RSA) public key or an X.509 certificate, in PEM: exactly one. */
export function importPem(pem: unknown): VerificationKey {
  if (typeof pem !== 'string' || pem.length > 16384) bad('pem: expected a PEM string');
  if (/PRIVATE KEY/.test(pem)) bad('pem: private keys are refused');
  const block = ONE_PEM_BLOCK.exec(pem);
  if (!block) {
    const blocks = pem.match(/-----BEGIN /g)?.length ?? 0;
    bad(blocks > 1 ? 'pem: exactly one key or certificate per PEM' : 'pem: one PEM block and nothing else (no text before or after it)');
  }
  const label = block[1] as string;
  if (!(PEM_LABELS as readonly string[]).includes(label)) bad(`pem: ${label} is not a public key or certificate`);
  // Only the block itself goes to OpenSSL (which stops at the first block and may skip what is around it).
  const one = `-----BEGIN ${label}-----\n${block[2] as string}-----END ${label}-----\n`;
  let key: KeyObject;
  let window: { notBefore: number; notAfter: number } | undefined;
  try {
    if (label === 'CERTIFICATE') {
      const cert = new X509Certificate(one);
      key = cert.publicKey;
      window = windowOf(cert);
    } else {
      key = createPublicKey({ key: one, format: 'pem' });
    }
  } catch (cause) {
    if (cause instanceof InvalidRequestError) throw cause;
    bad('pem: not a PEM public key or certificate', cause);
  }
  if (key.type !== 'public') bad('pem: not a public key');
  return { algs: algsFor(key, undefined, 'pem'), key, source: 'pem', ...window };
}
