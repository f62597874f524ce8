/**
 * Deployment signing-key rotation (docs/key-rotation.md). Three instants:
 *   now           the new key is written: published in the JWKS at once, not signing yet;
 *   activatesAt   = now + lead: the new key signs. The lead outlasts every cache that could
 *                 hold the old key set (our JWKS max-age, other containers' key-list cache,
 *                 the authorizer result cache), so no verifier meets a kid it has never seen;
 *   retiresAt     = activatesAt + the longest lifetime of anything the old key signed
 *                 (launch tokens: 1 day) + a container's stale key-list cache + clock skew:
 *                 the old key leaves the JWKS (and stops verifying) after its last token expired.
 * The arithmetic and the request's rules; lambdas/store/signing-key-rotation.ts applies them to the key store.
 */
import { CLOCK_SKEW_SECONDS } from './claims';
import { InvalidRequestError } from './errors';
import { MAX_AUTHORIZER_CACHE_TTL_SECONDS, PUBLIC_JWKS_MAX_AGE_SECONDS, SIGNING_KEY_LIST_TTL_MS } from './limits';

/** Launch tokens (1 day) outlive access tokens (4 h): the longest-lived thing a key signs. */
export const MAX_SIGNED_LIFETIME_SECONDS = 24 * 60 * 60;
export const MIN_LEAD_SECONDS =
  Math.max(PUBLIC_JWKS_MAX_AGE_SECONDS, MAX_AUTHORIZER_CACHE_TTL_SECONDS, SIGNING_KEY_LIST_TTL_MS / 1000) + CLOCK_SKEW_SECONDS;
export const DEFAULT_LEAD_SECONDS = 3600;
export const MAX_LEAD_SECONDS = 7 * 24 * 60 * 60;

export interface RotationPlan {
  kid: string;
  activatesAt: number;
  retiring: { kid: string; retiresAt: number }[];
}

export function parseRotateSigningKey(body: unknown): { leadSeconds: number } {
  if (body === undefined) return { leadSeconds: DEFAULT_LEAD_SECONDS };
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidRequestError('body must be a JSON object');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => k !== 'leadSeconds');
  if (unknown.length > 0) throw new InvalidRequestError(`unknown field ${unknown[0]}`);
  if (b.leadSeconds === undefined) return { leadSeconds: DEFAULT_LEAD_SECONDS };
  const lead = b.leadSeconds;
  if (typeof lead !== 'number' || !Number.isInteger(lead) || lead < MIN_LEAD_SECONDS || lead > MAX_LEAD_SECONDS) {
    throw new InvalidRequestError(`leadSeconds must be an integer from ${MIN_LEAD_SECONDS} to ${MAX_LEAD_SECONDS}`);
  }
  return { leadSeconds: lead };
}

/** When the keys a rotation replaces leave the JWKS, for a new key signing from `activatesAt`. */
export function retirementFor(activatesAt: number): number {
  return activatesAt + MAX_SIGNED_LIFETIME_SECONDS + SIGNING_KEY_LIST_TTL_MS / 1000 + CLOCK_SKEW_SECONDS;
}
