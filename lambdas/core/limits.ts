/**
 * The contract's size limits and the cache lifetimes that the key-rotation rules are computed
 * from. They live in core so the pure rules (token parsing, rotation arithmetic) can read them;
 * lambdas/gateway/settings re-exports them for the stack and the local gateway.
 */

/** Contract limits. */
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_HEADER_BYTES = 16 * 1024;
export const MAX_TOKEN_BYTES = 8 * 1024;

/** Contract: authorizer results cached 60 s by default, configurable up to 300 s. */
export const DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS = 60;
export const MAX_AUTHORIZER_CACHE_TTL_SECONDS = 300;

/** Cache-Control max-age of GET /.well-known/jwks.json: a new signing key is published at least this long before it signs. */
export const PUBLIC_JWKS_MAX_AGE_SECONDS = 300;

/** How long a container trusts the deployment signing-key list it read from the table; an unknown kid refreshes sooner. */
export const SIGNING_KEY_LIST_TTL_MS = 5 * 60_000;
