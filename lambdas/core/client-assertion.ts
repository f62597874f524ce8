/**
 * `private_key_jwt` client authentication at the token endpoint: RFC 7523 §2.2 and §3 with
 * RFC 7521 §4.2. The assertion is a JWT the client signs with one of its registered keys:
 * `iss` = `sub` = its clientName, `aud` naming this authorization server (its token endpoint
 * URL or its issuer identifier), a short `exp`, and a `jti` used once. The key comes from the
 * client's registry and the algorithm must fit that key, so an assertion MACed with the client
 * secret (HS256) or carrying its own key in the header is never accepted. Every failure is
 * invalid_client (RFC 7523 §3.2), whose text never says whether the clientName exists.
 */
import { isAsymmetricAlg, type AsymmetricAlg } from './algorithms';
import { CLIENT_NAME_PATTERN } from './client-name';
import { CLOCK_SKEW_SECONDS, isExpired, isInFuture } from './claims';
import { InvalidClientError } from './errors';
import { parseJwt, type ParsedJwt } from './jwt-parse';
import type { VerificationKey } from './verification-key';
import { verifyAsymmetric } from './verify-signature';
import type { ClientAuthView, ClientDirectory } from './verify-token';

/** The longest an assertion may live: `exp` at most this far ahead of now (plus the clock skew). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
const MAX_JTI_LENGTH = 256;
const HEADER_KEY_MEMBERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'crit', 'b64'];

export interface AssertionAudience {
  /** The deployment's issuer identifier. */
  readonly issuer: string;
  /** `{issuer}/oauth2/token`. */
  readonly tokenEndpoint: string;
}

export interface VerifiedAssertion {
  readonly clientName: string;
  readonly client: ClientAuthView;
  readonly jti: string;
  /** Epoch seconds; the replay record must outlive it. */
  readonly expiresAt: number;
}

const refuse = (description: string, cause?: unknown): never => {
  throw new InvalidClientError(description, cause === undefined ? undefined : { cause });
};

/**
 * The clientName an assertion claims, read without verifying it: the lock-out key is
 * per claimed client and caller address (the same rule as secrets), so it is needed first.
 */
export function claimedClientName(assertion: string, clientId: string | undefined): string {
  let jwt: ParsedJwt;
  try {
    jwt = parseJwt(assertion);
  } catch (err) {
    return refuse('Malformed client assertion', err);
  }
  const { iss, sub } = jwt.payload;
  if (typeof iss !== 'string' || !CLIENT_NAME_PATTERN.test(iss)) return refuse('Client assertion iss must be the clientName');
  if (sub !== iss) return refuse('Client assertion sub must equal iss (the clientName)');
  if (clientId !== undefined && clientId !== iss) return refuse('client_id differs from the assertion iss');
  return iss;
}

/** Verifies everything but single use (the caller claims the jti in its replay store after this). */
export async function verifyClientAssertion(
  assertion: string,
  clientName: string,
  clients: ClientDirectory,
  audience: AssertionAudience,
  nowSeconds: number,
): Promise<VerifiedAssertion> {
  let jwt: ParsedJwt;
  try {
    jwt = parseJwt(assertion);
  } catch (err) {
    return refuse('Malformed client assertion', err);
  }
  const h = jwt.header;
  // RFC 7523 §3 item 9: signed; the MAC with a shared secret is what this method replaces.
  if (!isAsymmetricAlg(h.alg)) return refuse('Client assertions must be signed RS256/384/512 or ES256/384/512 with a registered key');
  for (const m of HEADER_KEY_MEMBERS) if (m in h) refuse(`Client assertion header ${m} is not accepted`);
  const client = await clients.get(clientName);
  const candidates = client ? await clients.keysFor(client, h.kid) : [];
  const key = pickKey(candidates, h.kid, h.alg);
  if (!client || !key || !verifyAsymmetric(h.alg, key.key, jwt.signingInput, jwt.signature)) {
    return refuse("Client assertion not verified with the client's registered keys");
  }
  const p = jwt.payload;
  const aud = typeof p.aud === 'string' ? [p.aud] : Array.isArray(p.aud) ? p.aud : [];
  // RFC 7523 §3 item 3: aud identifies us; either of our two names is accepted.
  if (!aud.some((a) => a === audience.tokenEndpoint || a === audience.issuer)) {
    refuse(`Client assertion aud must be ${audience.tokenEndpoint} or ${audience.issuer}`);
  }
  if (typeof p.exp !== 'number' || !Number.isFinite(p.exp)) return refuse('Client assertion exp is required');
  if (isExpired(p.exp, nowSeconds)) refuse('Client assertion expired');
  if (p.exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
    refuse(`Client assertion exp is more than ${MAX_ASSERTION_LIFETIME_SECONDS} s ahead`);
  }
  if (p.nbf !== undefined && (typeof p.nbf !== 'number' || isInFuture(p.nbf, nowSeconds))) refuse('Client assertion not yet valid (nbf)');
  if (p.iat !== undefined && (typeof p.iat !== 'number' || isInFuture(p.iat, nowSeconds))) refuse('Client assertion iat is in the future');
  if (typeof p.jti !== 'string' || p.jti.length === 0 || p.jti.length > MAX_JTI_LENGTH) {
    return refuse(`Client assertion jti is required (1 to ${MAX_JTI_LENGTH} characters)`);
  }
  return { clientName, client, jti: p.jti, expiresAt: p.exp };
}

/** One key: the kid's, or the only one; its algorithms must include the header's. */
function pickKey(candidates: readonly VerificationKey[], kid: string | undefined, alg: AsymmetricAlg): VerificationKey | undefined {
  const usable = candidates.filter((k) => k.algs.includes(alg));
  if (kid === undefined && candidates.length > 1) return undefined;
  return usable[0];
}
