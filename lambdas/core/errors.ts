/**
 * One error class per code of the contract (../shared/CONTRACT.md, "Errors").
 * Every error carries a stable `code` and `status` so that exactly one place
 * (lambdas/runtime/http.ts) turns them into HTTP answers, and the authorizer
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
  | 'payload_too_large'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'service_unavailable';

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
  payload_too_large: 413,
  rate_limited: 429,
  quota_exceeded: 429,
  service_unavailable: 503,
};

export interface ErrorOptions {
  cause?: unknown;
  /** Seconds, for 429 answers (Retry-After). */
  retryAfter?: number;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfter?: number;
  constructor(code: ErrorCode, description: string, options: ErrorOptions = {}) {
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = STATUS_OF[code];
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
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

export function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError;
}

/** Contract: every 401 answer carries `WWW-Authenticate: Bearer error=…` (RFC 6750 §3). */
export function isBearerChallenge(code: ErrorCode): boolean {
  return STATUS_OF[code] === 401;
}
