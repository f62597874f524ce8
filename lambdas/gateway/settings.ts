/**
 * Gateway settings both lib/ and local/ read (AWS-NOTES, "One source").
 */

/** The REQUEST authorizer's identity source: the cache key (AWS-NOTES #1). */
export const AUTHORIZER_IDENTITY_HEADER = 'Authorization';

/** Contract: authorizer results cached 60 s by default, configurable up to 300 s. */
export const DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS = 60;
export const MAX_AUTHORIZER_CACHE_TTL_SECONDS = 300;

/** Cache-Control max-age of GET /.well-known/jwks.json: a new signing key is published at least this long before it signs. */
export const PUBLIC_JWKS_MAX_AGE_SECONDS = 300;

/** Contract limits. */
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_HEADER_BYTES = 16 * 1024;
export const MAX_TOKEN_BYTES = 8 * 1024;

/** Operator key header for the local gateway (IAM/SigV4 in AWS). */
export const ADMIN_KEY_HEADER = 'x-workoutkit-admin-key';

export const STAGES = ['sandbox', 'prod'] as const;
export type StageName = (typeof STAGES)[number];

export function clampCacheTtl(seconds: number | undefined): number {
  if (seconds === undefined) return DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_AUTHORIZER_CACHE_TTL_SECONDS) {
    throw new Error(`authorizer cache TTL must be an integer from 0 to ${MAX_AUTHORIZER_CACHE_TTL_SECONDS} seconds`);
  }
  return seconds;
}
