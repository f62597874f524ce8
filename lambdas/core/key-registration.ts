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
import { InvalidRequestError } from './errors';
import type { JwksFetcher } from './jwks-cache';
import { assertUsableNow, importJwks, importPem, type VerificationKey } from './verification-key';

export type KeyRegistration =
  | { kind: 'jwks'; jwks: { keys: unknown[] } }
  | { kind: 'jwks_uri'; jwksUri: string }
  | { kind: 'pem'; pem: string };

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

export async function validateKeyRegistration(body: unknown, fetchJwks: JwksFetcher, nowMs: number): Promise<ValidatedKeys> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidRequestError('body must be a JSON object');
  const b = body as Record<string, unknown>;
  const given = ['jwks', 'jwksUri', 'pem'].filter((k) => b[k] !== undefined);
  const unknown = Object.keys(b).filter((k) => !['jwks', 'jwksUri', 'pem'].includes(k));
  if (unknown.length > 0) throw new InvalidRequestError(`unknown field ${unknown[0]}`);
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
    return { registration: { kind: 'pem', pem: b.pem as string }, keys: [key] };
  }
  const uri = b.jwksUri;
  if (typeof uri !== 'string' || uri.length === 0) throw new InvalidRequestError('jwksUri must be a string');
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
    throw new InvalidRequestError(`jwksUri: ${err instanceof InvalidRequestError ? err.message : 'its keys are not usable'}`, { cause: err });
  }
}

/** What a settings view shows of registered keys: kinds, kids and algorithms, never key material. */
export function describeKeys(keys: readonly VerificationKey[]): { kid: string | null; algs: string[] }[] {
  return keys.map((k) => ({ kid: k.kid ?? null, algs: [...k.algs] }));
}
