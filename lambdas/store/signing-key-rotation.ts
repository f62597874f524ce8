/**
 * Deployment signing-key rotation (docs/key-rotation.md). Three instants:
 *   now           the new key is written: published in the JWKS at once, not signing yet;
 *   activatesAt   = now + lead: the new key signs. The lead outlasts every cache that could
 *                 hold the old key set (our JWKS max-age, other containers' key-list cache,
 *                 the authorizer result cache), so no verifier meets a kid it has never seen;
 *   retiresAt     = activatesAt + the longest lifetime of anything the old key signed
 *                 (launch tokens: 1 day) + a container's stale key-list cache + clock skew:
 *                 the old key leaves the JWKS (and stops verifying) after its last token expired.
 */
import { CLOCK_SKEW_SECONDS } from '../core/claims';
import { ConflictError, InvalidRequestError } from '../core/errors';
import { MAX_AUTHORIZER_CACHE_TTL_SECONDS, PUBLIC_JWKS_MAX_AGE_SECONDS } from '../gateway/settings';
import { LIST_TTL_MS, type SigningKeyStore } from './signing-key-store';

/** Launch tokens (1 day) outlive access tokens (4 h): the longest-lived thing a key signs. */
export const MAX_SIGNED_LIFETIME_SECONDS = 24 * 60 * 60;
export const MIN_LEAD_SECONDS =
  Math.max(PUBLIC_JWKS_MAX_AGE_SECONDS, MAX_AUTHORIZER_CACHE_TTL_SECONDS, LIST_TTL_MS / 1000) + CLOCK_SKEW_SECONDS;
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

export function retirementFor(activatesAt: number): number {
  return activatesAt + MAX_SIGNED_LIFETIME_SECONDS + LIST_TTL_MS / 1000 + CLOCK_SKEW_SECONDS;
}

export async function rotateSigningKey(store: SigningKeyStore, nowMs: number, leadSeconds: number): Promise<RotationPlan> {
  await store.current(); // a fresh deployment bootstraps its first key, which then rotates
  const now = Math.floor(nowMs / 1000);
  const items = await store.list(true);
  const pending = items.find((k) => k.activatesAt > now);
  if (pending) {
    throw new ConflictError(`A rotation is already pending: key ${pending.kid} signs from ${new Date(pending.activatesAt * 1000).toISOString()}`);
  }
  const activatesAt = now + leadSeconds;
  const retiresAt = retirementFor(activatesAt);
  const added = await store.add(activatesAt);
  const retiring: RotationPlan['retiring'] = [];
  for (const k of items) {
    if (k.retiresAt !== undefined) continue; // already scheduled by an earlier rotation
    await store.retire(k.kid, retiresAt);
    retiring.push({ kid: k.kid, retiresAt });
  }
  return { kid: added.kid, activatesAt, retiring };
}
