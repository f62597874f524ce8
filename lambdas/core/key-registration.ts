/**
 * Validation of a client's verification keys, shared by the operator route
 * (PUT /admin/clients/{clientName}/keys) and the client's own settings routes.
 * Exactly one of `{jwks}`, `{jwksUri}`, `{pem}`; everything is imported the way the
 * verifier will import it, so a key that would fail at verification time fails here
 * with invalid_request instead. A jwksUri is fetched once, now, for the same reason.
 */
import { InvalidRequestError } from './errors';
import type { JwksFetcher } from './jwks-cache';
import { importJwks, importPem, type VerificationKey } from './verification-key';

export type KeyRegistration =
  | { kind: 'jwks'; jwks: { keys: unknown[] } }
  | { kind: 'jwks_uri'; jwksUri: string }
  | { kind: 'pem'; pem: string };

export interface ValidatedKeys {
  registration: KeyRegistration;
  /** The imported keys (for jwks_uri: what the URL served at registration). */
  keys: VerificationKey[];
}

/** What a caller may be told about a failed fetch: the fetcher's own reason, never a stack. */
function fetchReason(err: unknown): string {
  if (err instanceof Error && err.name === 'JwksFetchError') return err.message;
  if (err instanceof InvalidRequestError) return err.message;
  return 'could not be fetched';
}

export async function validateKeyRegistration(body: unknown, fetchJwks: JwksFetcher): Promise<ValidatedKeys> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidRequestError('body must be a JSON object');
  const b = body as Record<string, unknown>;
  const given = ['jwks', 'jwksUri', 'pem'].filter((k) => b[k] !== undefined);
  const unknown = Object.keys(b).filter((k) => !['jwks', 'jwksUri', 'pem'].includes(k));
  if (unknown.length > 0) throw new InvalidRequestError(`unknown field ${unknown[0]}`);
  if (given.length !== 1) throw new InvalidRequestError('give exactly one of jwks, jwksUri, pem');

  if (b.jwks !== undefined) {
    const keys = importJwks(b.jwks, 'jwks');
    // Stored as given minus anything unknown: only the members the verifier reads.
    return { registration: { kind: 'jwks', jwks: { keys: (b.jwks as { keys: unknown[] }).keys } }, keys };
  }
  if (b.pem !== undefined) {
    return { registration: { kind: 'pem', pem: b.pem as string }, keys: [importPem(b.pem)] };
  }
  const uri = b.jwksUri;
  if (typeof uri !== 'string' || uri.length === 0) throw new InvalidRequestError('jwksUri must be a string');
  let doc;
  try {
    doc = await fetchJwks(uri);
  } catch (err) {
    throw new InvalidRequestError(`jwksUri: ${fetchReason(err)}`, { cause: err });
  }
  try {
    return { registration: { kind: 'jwks_uri', jwksUri: uri }, keys: importJwks(doc.body, 'jwks_uri') };
  } catch (err) {
    throw new InvalidRequestError(`jwksUri: ${fetchReason(err)}`, { cause: err });
  }
}

/** What a settings view shows of registered keys: kinds, kids and algorithms, never key material. */
export function describeKeys(keys: readonly VerificationKey[]): { kid: string | null; algs: string[] }[] {
  return keys.map((k) => ({ kid: k.kid ?? null, algs: [...k.algs] }));
}
