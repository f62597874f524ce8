/**
 * One error class per code of the contract (the error table in docs/integrators.md).
 * Every error carries a stable `code` and `status` so that exactly one place
 * (lambdas/core/error-answer.ts) turns them into HTTP answers, and the authorizer
 * can pass `code` to the Gateway Response templates. `cause` is for logs only
 * and never reaches a caller.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'invalid_client'
  | 'invalid_token'
  | 'token_expired'
  | 'invalid_signature'
  | 'missing_required_claim'
  | 'token_revoked'
  | 'insufficient_permissions'
  | 'device_required'
  | 'launch_token_invalid'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'service_unavailable'
  // RFC 6749 §5.2: the token endpoint's own codes (POST /oauth2/token).
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unauthorized_client';

export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  invalid_request: 400,
  unauthorized: 401,
  invalid_client: 401,
  invalid_token: 401,
  token_expired: 401,
  invalid_signature: 401,
  missing_required_claim: 401,
  token_revoked: 401,
  insufficient_permissions: 403,
  device_required: 400,
  launch_token_invalid: 401,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  quota_exceeded: 429,
  service_unavailable: 503,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  unauthorized_client: 400,
};

export interface ErrorOptions {
  cause?: unknown;
  /** Seconds, for 429 answers (Retry-After). */
  retryAfter?: number;
  /**
   * The WWW-Authenticate challenge of a 401 when it is not Bearer: RFC 6749 §5.2 wants the
   * scheme the client used (`Basic` at the token endpoint).
   */
  challenge?: string;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfter?: number;
  readonly challenge?: string;
  constructor(code: ErrorCode, description: string, options: ErrorOptions = {}) {
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = STATUS_OF[code];
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
    if (options.challenge !== undefined) this.challenge = options.challenge;
  }
}

function define<C extends ErrorCode>(code: C, name: string) {
  const Cls = class extends GatewayError {
    declare readonly code: C;
    constructor(description: string, options?: ErrorOptions) {
      super(code, description, options);
      this.name = name;
    }
  };
  Object.defineProperty(Cls, 'name', { value: name });
  return Cls;
}

export const InvalidRequestError = define('invalid_request', 'InvalidRequestError');
export const UnauthorizedError = define('unauthorized', 'UnauthorizedError');
export const InvalidClientError = define('invalid_client', 'InvalidClientError');
export const InvalidTokenError = define('invalid_token', 'InvalidTokenError');
export const TokenExpiredError = define('token_expired', 'TokenExpiredError');
export const InvalidSignatureError = define('invalid_signature', 'InvalidSignatureError');
export const MissingRequiredClaimError = define('missing_required_claim', 'MissingRequiredClaimError');
export const TokenRevokedError = define('token_revoked', 'TokenRevokedError');
export const InsufficientPermissionsError = define('insufficient_permissions', 'InsufficientPermissionsError');
export const DeviceRequiredError = define('device_required', 'DeviceRequiredError');
export const LaunchTokenInvalidError = define('launch_token_invalid', 'LaunchTokenInvalidError');
export const NotFoundError = define('not_found', 'NotFoundError');
export const ConflictError = define('conflict', 'ConflictError');
export const RateLimitedError = define('rate_limited', 'RateLimitedError');
export const QuotaExceededError = define('quota_exceeded', 'QuotaExceededError');
export const ServiceUnavailableError = define('service_unavailable', 'ServiceUnavailableError');
export const UnsupportedGrantTypeError = define('unsupported_grant_type', 'UnsupportedGrantTypeError');
export const InvalidScopeError = define('invalid_scope', 'InvalidScopeError');
export const UnauthorizedClientError = define('unauthorized_client', 'UnauthorizedClientError');

export function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError;
}

/** Contract: every 401 answer carries `WWW-Authenticate: Bearer error=…` (RFC 6750 §3). */
export function isBearerChallenge(code: ErrorCode): boolean {
  return STATUS_OF[code] === 401;
}
