/**
 * Public keys imported once into node:crypto KeyObjects, with the algorithms
 * they may verify fixed at import time (from JWK `alg`, else `kty`/`crv`).
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
}

const RSA_ALGS: readonly AsymmetricAlg[] = ['RS256', 'RS384', 'RS512'];
const MIN_RSA_BITS = 2048;
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
      bad(`${where}: alg ${String(declaredAlg)} does not match the key type`);
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
  if (j.kid !== undefined && (typeof j.kid !== 'string' || j.kid.length === 0 || j.kid.length > 256)) {
    bad(`${where}: kid must be a non-empty string`);
  }
  if (j.kty === 'EC' && j.alg !== undefined && typeof j.crv === 'string') {
    const spec = ALG_SPECS[j.alg as AsymmetricAlg];
    if (spec && spec.crv !== j.crv) bad(`${where}: alg ${String(j.alg)} does not match curve ${j.crv}`);
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
  return vk;
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

/** An SPKI public key or an X.509 certificate, in PEM. */
export function importPem(pem: unknown): VerificationKey {
  if (typeof pem !== 'string' || pem.length > 16384) bad('pem: expected a PEM string');
  if (/PRIVATE KEY/.test(pem)) bad('pem: private keys are refused');
  let key: KeyObject;
  try {
    key = /BEGIN CERTIFICATE/.test(pem) ? new X509Certificate(pem).publicKey : createPublicKey({ key: pem, format: 'pem' });
  } catch (cause) {
    bad('pem: not a PEM public key or certificate', cause);
  }
  if (key.type !== 'public') bad('pem: not a public key');
  return { algs: algsFor(key, undefined, 'pem'), key, source: 'pem' };
}
