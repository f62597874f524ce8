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
import * as v from 'valibot';
import { CLOCK_SKEW_SECONDS } from './claims';
import { MAX_AUTHORIZER_CACHE_TTL_SECONDS, PUBLIC_JWKS_MAX_AGE_SECONDS, SIGNING_KEY_LIST_TTL_MS } from './limits';
import { integer, parseInput } from './schemas/validate';

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

/** The body of POST /admin/signing-keys/rotate: `{leadSeconds?}`; an absent body means the default lead. */
export const RotateSigningKeyRequest = v.optional(
  v.strictObject({
    leadSeconds: v.optional(
      v.pipe(
        integer(MIN_LEAD_SECONDS, MAX_LEAD_SECONDS),
        v.description('seconds until the new key signs (it is published at once)'),
        v.metadata({ default: DEFAULT_LEAD_SECONDS }),
      ),
    ),
  }),
);

export function parseRotateSigningKey(body: unknown): { leadSeconds: number } {
  return { leadSeconds: parseInput(RotateSigningKeyRequest, body)?.leadSeconds ?? DEFAULT_LEAD_SECONDS };
}

/** When the keys a rotation replaces leave the JWKS, for a new key signing from `activatesAt`. */
export function retirementFor(activatesAt: number): number {
  return activatesAt + MAX_SIGNED_LIFETIME_SECONDS + SIGNING_KEY_LIST_TTL_MS / 1000 + CLOCK_SKEW_SECONDS;
}
