/**
 * clientName + clientSecret → the client, for POST /authtoken. Every failure is the same
 * invalid_client, and an unknown name costs the same comparison as a wrong secret.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import { CLIENT_NAME_PATTERN, CLIENT_NAME_RULE } from './client-name';
import { InvalidClientError, InvalidRequestError, RateLimitedError } from './errors';
import { parseInput } from './schemas/validate';

export interface TokenRequest {
  clientName: string;
  clientSecret: string;
  userInfo: Record<string, unknown>;
  sub?: string;
}

const MAX_SECRET_LENGTH = 256;
const MAX_USERINFO_BYTES = 4096;

/**
 * Any non-empty clientName and secret are read: one that cannot be a client's is refused as
 * invalid_client (401) like a wrong one, never as a malformed request.
 */
export const AuthTokenRequest = v.looseObject({
  clientName: v.pipe(
    v.string('is required (string)'),
    v.minLength(1, 'is required (string)'),
    v.description(`the client's name (${CLIENT_NAME_RULE})`),
  ),
  clientSecret: v.pipe(v.string('is required (string)'), v.minLength(1, 'is required (string)')),
  userInfo: v.optional(
    v.pipe(
      v.record(v.string(), v.unknown(), 'must be an object'),
      v.description('copied into the token as the `user` claim; at most 4 KiB of JSON'),
    ),
  ),
  sub: v.optional(
    v.pipe(
      v.string('must be a string of 1 to 256 characters'),
      v.minLength(1, 'must be a string of 1 to 256 characters'),
      v.maxLength(256, 'must be a string of 1 to 256 characters'),
      v.description('an end-user id: gives the token a user context'),
    ),
  ),
});

export function parseTokenRequest(body: unknown): TokenRequest {
  const b = parseInput(AuthTokenRequest, body);
  if (b.clientName.length > 64 || b.clientSecret.length > MAX_SECRET_LENGTH) throw new InvalidClientError('Invalid client credentials');
  const userInfo = b.userInfo ?? {};
  if (Buffer.byteLength(JSON.stringify(userInfo)) > MAX_USERINFO_BYTES) throw new InvalidRequestError('userInfo over 4 KiB');
  return { clientName: b.clientName, clientSecret: b.clientSecret, userInfo, ...(b.sub === undefined ? {} : { sub: b.sub }) };
}

const UNKNOWN_CLIENT_PLACEHOLDER = Buffer.alloc(32);
const digest = (s: string | Buffer) => createHash('sha256').update(s).digest();

/** Constant-time: compares fixed-size digests, and always runs at least one comparison. */
export function secretMatches(presented: string, secrets: readonly Buffer[]): boolean {
  const p = digest(presented);
  let ok = false;
  for (const s of secrets) ok = timingSafeEqual(p, digest(s)) || ok;
  // An unknown client still pays for one comparison.
  if (secrets.length === 0) timingSafeEqual(p, digest(UNKNOWN_CLIENT_PLACEHOLDER));
  return ok;
}

/**
 * Failures are counted per clientName *and* caller address: a stranger who knows a client's
 * (public) name can lock out only its own address, never the client's backend.
 */
export interface LockoutDeps {
  /** A consistent read: seconds the key is locked for (0: it may try). */
  lockedFor(attemptKey: string): Promise<{ failures: number; lockedFor: number }>;
  /**
   * Counts a failure in the same conditional write that checks the limit; `counted: false`
   * when the limit was reached first (so a concurrent burst cannot pass it).
   */
  recordFailure(attemptKey: string): Promise<{ counted: true } | { counted: false; lockedFor: number }>;
}

export interface ClientAuthenticatorDeps extends LockoutDeps {
  /** The client's live secrets, or undefined for an unknown name. */
  liveSecrets(clientName: string): Promise<readonly Buffer[] | undefined>;
}

export function attemptKey(clientName: string, sourceIp: string | undefined): string {
  return `${clientName}\n${sourceIp ?? ''}`;
}

const lockedOut = (retryAfter: number) =>
  new RateLimitedError('Too many failed attempts for this client from this address; retry later', { retryAfter });

/**
 * The lock-out rule around one authentication attempt, whatever proves the client (a secret at
 * /authtoken or /oauth2/token, a signed assertion at /oauth2/token). A locked key is refused
 * before anything is checked, so a guess made while locked learns nothing, not even through
 * timing. An invalid_client from `attempt` answers as such only when its failure was counted
 * under the limit; past it the answer is 429 like any attempt while locked. A success does not
 * clear earlier failures (they end with their window): if it did, a burst of guesses with one
 * right secret among them would start counting afresh and get further than the limit.
 */
export async function withLockout<T>(
  clientName: string,
  sourceIp: string | undefined,
  deps: LockoutDeps,
  attempt: () => Promise<T>,
): Promise<T> {
  const key = attemptKey(clientName, sourceIp);
  const status = await deps.lockedFor(key);
  if (status.lockedFor > 0) throw lockedOut(status.lockedFor);
  try {
    return await attempt();
  } catch (err) {
    if (!(err instanceof InvalidClientError)) throw err;
    const failure = await deps.recordFailure(key);
    if (!failure.counted) throw lockedOut(failure.lockedFor);
    throw err;
  }
}

/** `challenge`: the WWW-Authenticate of the refusal (Basic at the token endpoint). */
export async function authenticateClient(
  req: Pick<TokenRequest, 'clientName' | 'clientSecret'>,
  deps: ClientAuthenticatorDeps,
  sourceIp: string | undefined,
  challenge?: string,
): Promise<void> {
  const refusal = () => new InvalidClientError('Invalid client credentials', challenge === undefined ? {} : { challenge });
  const name = CLIENT_NAME_PATTERN.test(req.clientName) ? req.clientName : undefined;
  if (name === undefined) throw refusal();
  await withLockout(name, sourceIp, deps, async () => {
    const secrets = await deps.liveSecrets(name);
    if (!secretMatches(req.clientSecret, secrets ?? [])) throw refusal();
  });
}
