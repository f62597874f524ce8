/**
 * Gateway settings both lib/ and local/ read.
 */
import { DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS, MAX_AUTHORIZER_CACHE_TTL_SECONDS } from '../core/limits';

/** The REQUEST authorizer's identity source: the cache key (https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html). */
export const AUTHORIZER_IDENTITY_HEADER = 'Authorization';

/** The header GET /v1/{clientName}/catalog accepts the client's API key in (instead of a JWT). */
export const API_KEY_HEADER = 'x-api-key';

/**
 * The two API Gateway authorizers, both backed by the one authorizer Lambda.
 * - `jwt`: identity source Authorization, results cached (https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html): a request without
 *   the header is refused with 401 before the Lambda runs.
 * - `jwt-or-api-key` (the catalog): a bearer token OR an x-api-key. With caching on, API
 *   Gateway would refuse any request missing one of the identity sources, so neither header
 *   can be one: this authorizer has no identity source and caching off (TTL 0), which AWS
 *   allows only then ("When the authorization caching is not enabled, this property is
 *   optional", https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html). The
 *   Lambda runs on every catalog request and decides: bearer first, else the API key, else Deny.
 */
export interface AuthorizerSpec {
  /** Headers API Gateway requires before invoking the Lambda and keys its cache on. */
  readonly identityHeaders: readonly string[];
  /** false: TTL 0, no result cache, no identity source. */
  readonly cached: boolean;
}

export const AUTHORIZERS: Readonly<Record<'jwt' | 'jwt-or-api-key', AuthorizerSpec>> = {
  jwt: { identityHeaders: [AUTHORIZER_IDENTITY_HEADER], cached: true },
  'jwt-or-api-key': { identityHeaders: [], cached: false },
};

// The contract's limits and cache lifetimes have their home in core (the pure rules read them).
export {
  DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS,
  MAX_AUTHORIZER_CACHE_TTL_SECONDS,
  MAX_BODY_BYTES,
  MAX_HEADER_BYTES,
  MAX_TOKEN_BYTES,
  PUBLIC_JWKS_MAX_AGE_SECONDS,
} from '../core/limits';

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
