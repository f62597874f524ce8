/**
 * Validation of a client's verification keys, shared by the operator route
 * (PUT /admin/clients/{clientName}/keys) and the client's own settings routes.
 * Exactly one of `{jwks}`, `{jwksUri}`, `{pem}`; everything is imported the way the
 * verifier will import it, so a key that would fail at verification time fails here
 * with invalid_request instead. A jwksUri is fetched once, now, for the same reason.
 *
 * What a caller learns of a failed jwksUri: what is wrong with the URL itself (scheme,
 * credentials, an address literal we never fetch), or that the document it served was a JWKS
 * whose keys the policy refuses. Whether the fetch failed (no connection, a timeout, a status,
 * an oversize or non-JSON answer, a document that is no JWKS) is one text: a registration must
 * not become a port scanner of whatever the URL can reach. The reason stays in the error's
 * cause, which the handler logs.
 */
import * as v from 'valibot';
import { InvalidRequestError } from './errors';
import type { JwksFetcher } from './jwks-cache';
import { parseInput } from './schemas/validate';
import { assertUsableNow, importJwks, importPem, type VerificationKey } from './verification-key';

export type KeyRegistration =
  { kind: 'jwks'; jwks: { keys: unknown[] } } | { kind: 'jwks_uri'; jwksUri: string } | { kind: 'pem'; pem: string };

export interface ValidatedKeys {
  registration: KeyRegistration;
  /** The imported keys (for jwks_uri: what the URL served at registration). */
  keys: VerificationKey[];
}

/** The one answer for every way fetching a JWKS URL can fail. */
export const JWKS_URI_UNUSABLE = 'jwksUri: the URL did not serve a JWKS (it could not be fetched, or its answer is not a JWKS document)';

/** A problem with the URL itself, found before any request (the fetcher names such errors JwksUrlError). */
function isUrlProblem(err: unknown): err is Error {
  return err instanceof Error && err.name === 'JwksUrlError';
}

function isJwksShaped(body: unknown): boolean {
  return body !== null && typeof body === 'object' && Array.isArray((body as { keys?: unknown }).keys);
}

/** An ES256 public key, as the document's example (no private member: `d` is refused). */
const EXAMPLE_PUBLIC_JWK = {
  kty: 'EC',
  x: 'vHHKJUot8f1SldgJzMjkE6lj_JV4T0il5IKk-NfEDmw',
  y: 'CYhlAAOXMkHyvxvbA3PuK8O8u_Upsit2nFtx3noNJWk',
  crv: 'P-256',
  kid: 'example-es256',
  alg: 'ES256',
  use: 'sig',
};

/** Exactly one of the three; the keys themselves are checked by importing them (verification-key.ts). */
export const PutKeysRequest = v.pipe(
  v.strictObject({
    jwks: v.optional(
      v.pipe(
        v.looseObject({ keys: v.array(v.looseObject({}), 'must be an array of JWKs') }, 'must be a JWKS object {"keys": [...]}'),
        v.description('public JWKs (RSA or EC), each imported as the verifier will import it'),
        v.metadata({ examples: [{ keys: [EXAMPLE_PUBLIC_JWK] }] }),
      ),
    ),
    jwksUri: v.optional(
      v.pipe(
        v.string('must be a string'),
        v.minLength(1, 'must be a string'),
        v.description('https only; fetched with a 5 s timeout and a 512 KiB cap'),
        v.metadata({ format: 'uri' }),
      ),
    ),
    pem: v.optional(
      v.pipe(v.string('must be a string'), v.minLength(1, 'must be a string'), v.description('a PEM public key or certificate')),
    ),
  }),
  v.description('public keys only: private, symmetric and unsupported keys are refused'),
  v.metadata({ oneOf: [{ required: ['jwks'] }, { required: ['jwksUri'] }, { required: ['pem'] }] }),
);

export async function validateKeyRegistration(body: unknown, fetchJwks: JwksFetcher, nowMs: number): Promise<ValidatedKeys> {
  const b = parseInput(PutKeysRequest, body);
  const given = (['jwks', 'jwksUri', 'pem'] as const).filter((k) => b[k] !== undefined);
  if (given.length !== 1) throw new InvalidRequestError('give exactly one of jwks, jwksUri, pem');

  const nowSeconds = Math.floor(nowMs / 1000);
  if (b.jwks !== undefined) {
    const keys = importJwks(b.jwks, 'jwks');
    assertUsableNow(keys, nowSeconds);
    // Stored as given minus anything unknown: only the members the verifier reads.
    return { registration: { kind: 'jwks', jwks: { keys: (b.jwks as { keys: unknown[] }).keys } }, keys };
  }
  if (b.pem !== undefined) {
    const key = importPem(b.pem);
    assertUsableNow([key], nowSeconds);
    return { registration: { kind: 'pem', pem: b.pem }, keys: [key] };
  }
  const uri = b.jwksUri as string;
  let doc;
  try {
    doc = await fetchJwks(uri);
  } catch (err) {
    throw new InvalidRequestError(isUrlProblem(err) ? `jwksUri: ${err.message}` : JWKS_URI_UNUSABLE, { cause: err });
  }
  if (!isJwksShaped(doc.body)) throw new InvalidRequestError(JWKS_URI_UNUSABLE, { cause: new Error('the document has no keys array') });
  try {
    const keys = importJwks(doc.body, 'jwks_uri');
    assertUsableNow(keys, nowSeconds);
    return { registration: { kind: 'jwks_uri', jwksUri: uri }, keys };
  } catch (err) {
    throw new InvalidRequestError(`jwksUri: ${err instanceof InvalidRequestError ? err.message : 'its keys are not usable'}`, {
      cause: err,
    });
  }
}

/** What a settings view shows of registered keys: kinds, kids and algorithms, never key material. */
export function describeKeys(keys: readonly VerificationKey[]): { kid: string | null; algs: string[] }[] {
  return keys.map((k) => ({ kid: k.kid ?? null, algs: [...k.algs] }));
}
