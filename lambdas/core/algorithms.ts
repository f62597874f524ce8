/**
 * The algorithms the gateway accepts, and what each demands of its key. The
 * algorithm is always decided by the key the verifier chose; the token's `alg`
 * must merely agree with it (no algorithm confusion).
 */
export type AsymmetricAlg = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';
export type Alg = AsymmetricAlg | 'HS256';

export const ASYMMETRIC_ALGS: readonly AsymmetricAlg[] = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];

export interface AlgSpec {
  /** node:crypto digest name. */
  hash: 'sha256' | 'sha384' | 'sha512';
  kty: 'RSA' | 'EC' | 'oct';
  /** EC curve, and the exact IEEE-P1363 signature length (r || s). */
  crv?: 'P-256' | 'P-384' | 'P-521';
  signatureLength?: number;
}

export const ALG_SPECS: Readonly<Record<Alg, AlgSpec>> = {
  HS256: { hash: 'sha256', kty: 'oct' },
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  ES256: { hash: 'sha256', kty: 'EC', crv: 'P-256', signatureLength: 64 },
  ES384: { hash: 'sha384', kty: 'EC', crv: 'P-384', signatureLength: 96 },
  ES512: { hash: 'sha512', kty: 'EC', crv: 'P-521', signatureLength: 132 },
};

export const EC_ALG_BY_CURVE: Readonly<Record<string, AsymmetricAlg>> = {
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
};

export function isAsymmetricAlg(alg: string): alg is AsymmetricAlg {
  return (ASYMMETRIC_ALGS as readonly string[]).includes(alg);
}
