/**
 * Claim rules of the contract ("Caller authentication"): types first, then time,
 * then the client's own policy. Pure functions over a payload and a clock.
 */
import { InvalidTokenError, MissingRequiredClaimError, TokenExpiredError } from './errors';
import type { JwtPayload } from './jwt-parse';

/** Contract: `exp`/`nbf` checked with at most 60 s of clock skew. */
export const CLOCK_SKEW_SECONDS = 60;

export type RequirableClaim = 'exp' | 'iat' | 'iss' | 'aud' | 'sub' | 'nbf' | 'jti';
export const REQUIRABLE_CLAIMS: readonly RequirableClaim[] = ['exp', 'iat', 'iss', 'aud', 'sub', 'nbf', 'jti'];

export interface ClaimPolicy {
  requiredClaims: readonly RequirableClaim[];
  /** Expected `aud`; a token's array `aud` containing it also matches. */
  audience?: string;
  maxTokenLifetimeSeconds?: number;
}

const NUMERIC = ['exp', 'nbf', 'iat'] as const;
const STRINGS = ['sub', 'iss', 'jti', 'clientName', 'token_use'] as const;

/**
 * NumericDates a token may carry: 1970 to the end of year 9999. Anything later cannot become
 * an ISO 8601 time (a Date holds at most 8.64e15 ms), so it is refused with the type errors
 * instead of failing wherever the value is first printed.
 */
export const MAX_NUMERIC_DATE = 253_402_300_799;

/** Refuses claims of the wrong type (a numeric date given as a string, say). */
export function checkClaimTypes(payload: JwtPayload): void {
  for (const name of NUMERIC) {
    const v = payload[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_NUMERIC_DATE)) {
      throw new InvalidTokenError(`Claim ${name} must be a NumericDate from 1970 to 9999`);
    }
  }
  for (const name of STRINGS) {
    const v = payload[name];
    if (v !== undefined && (typeof v !== 'string' || v.length === 0 || v.length > 1024)) {
      throw new InvalidTokenError(`Claim ${name} must be a non-empty string`);
    }
  }
  const aud = payload.aud;
  if (aud !== undefined && typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))) {
    throw new InvalidTokenError('Claim aud must be a string or an array of strings');
  }
  if (!isValidScope(payload.scope)) throw new InvalidTokenError(SCOPE_ERROR);
}

const SCOPE_ERROR = 'Claim scope must be an array of strings or a space-separated string';

/** What normalizeScope accepts, checked without building the list (the verifier builds it once, later). */
function isValidScope(scope: unknown): boolean {
  if (scope === undefined || typeof scope === 'string') return true;
  return Array.isArray(scope) && scope.every((s) => typeof s === 'string' && s.length > 0 && !s.includes(' '));
}

/** `scope` is an array of strings; a space-separated string is also accepted. */
export function normalizeScope(scope: unknown): string[] {
  if (scope === undefined) return [];
  if (typeof scope === 'string') return scope.split(' ').filter((s) => s.length > 0);
  if (isValidScope(scope)) return scope as string[];
  throw new InvalidTokenError(SCOPE_ERROR);
}

/**
 * The expiry rule, with the clock skew every time check allows: the one home for "has `exp`
 * passed", used by token verification, the handlers' re-check of a cached Allow and client
 * assertions alike.
 */
export function isExpired(exp: number, nowSeconds: number): boolean {
  return nowSeconds > exp + CLOCK_SKEW_SECONDS;
}

/** A time that lies ahead of now by more than the skew (`nbf`, `iat`). */
export function isInFuture(time: number, nowSeconds: number): boolean {
  return time > nowSeconds + CLOCK_SKEW_SECONDS;
}

export function checkTimes(payload: JwtPayload, nowSeconds: number): void {
  const { exp, nbf, iat } = payload as { exp?: number; nbf?: number; iat?: number };
  if (exp !== undefined && isExpired(exp, nowSeconds)) throw new TokenExpiredError('Token expired');
  if (nbf !== undefined && isInFuture(nbf, nowSeconds)) throw new TokenExpiredError('Token not yet valid (nbf)');
  if (iat !== undefined && isInFuture(iat, nowSeconds)) throw new InvalidTokenError('Token issued in the future (iat)');
}

/**
 * RFC 7519 §4.1.3: a recipient that does not identify itself with a value in `aud` must
 * reject the token. We are the client's configured audience or, for a client without one,
 * the deployment's issuer identifier (`deploymentAudience`). A token without `aud` passes
 * here; a client can require it (requiredClaims).
 */
export function checkAudience(payload: JwtPayload, audience: string | undefined, deploymentAudience: string): void {
  if (payload.aud === undefined) return;
  const auds = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!auds.includes(audience ?? deploymentAudience)) throw new InvalidTokenError('Claim aud does not name this API');
}

export function checkPolicy(payload: JwtPayload, policy: ClaimPolicy, clientName: string, deploymentAudience: string): void {
  for (const claim of policy.requiredClaims) {
    if (payload[claim] === undefined) throw new MissingRequiredClaimError(`Token lacks required claim ${claim}`);
  }
  if (payload.iss !== undefined && payload.iss !== clientName) throw new InvalidTokenError('Claim iss does not name the client');
  checkAudience(payload, policy.audience, deploymentAudience);
  if (policy.maxTokenLifetimeSeconds !== undefined) {
    const exp = payload.exp as number | undefined;
    if (exp === undefined) throw new MissingRequiredClaimError('Token lacks required claim exp (the client limits token lifetime)');
    const iat = payload.iat as number | undefined;
    if (iat === undefined) throw new MissingRequiredClaimError('Token lacks required claim iat (the client limits token lifetime)');
    if (exp - iat > policy.maxTokenLifetimeSeconds) throw new InvalidTokenError('Token lifetime over the client maximum');
  }
}

/** Effective scope = the token's scope, intersected with the client's configured scopes. */
export function effectiveScope(tokenScope: readonly string[], clientScopes: readonly string[]): string[] {
  return tokenScope.filter((s) => clientScopes.includes(s));
}
