/**
 * The one renderer of the API's error answers. The handlers (runtime/http.ts), the Gateway
 * Response templates API Gateway answers with before a handler runs (gateway/gateway-responses.ts)
 * and the local gateway's own refusals (local/answers.ts) all build their status, challenge and
 * body here, so the three cannot drift from the error table (errors.ts STATUS_OF).
 */
import { STATUS_OF, isBearerChallenge, type ErrorCode } from './errors';

/**
 * The error body in both of its readings: REST's `error` and `error_description`, and GraphQL's
 * `errors: [{message, extensions: {code}}]` beside them, with the same code and text.
 */
export interface ErrorBody {
  readonly error: string;
  readonly error_description: string;
  readonly errors: readonly { readonly message: string; readonly extensions: { readonly code: string } }[];
}

/** Both readings; REST-only answers keep the first two members (errorAnswer). */
export function errorBody(code: string, description: string): ErrorBody {
  return { error: code, error_description: description, errors: [{ message: description, extensions: { code } }] };
}

/** RFC 6750 §3's challenge; quotes, backslashes and line breaks of the text cannot end its quoted string. */
export function bearerChallenge(code: string, description: string): string {
  return `Bearer error="${code}", error_description="${description.replace(/["\\\r\n]/g, ' ')}"`;
}

/**
 * Statuses at which a transport-level refusal answers `invalid_request` instead of the table's 400:
 * API Gateway's 413 for a request over its size limit, and the local gateway's 431 (headers over
 * 16 KiB, before any code runs) and 408 (a body not received in time).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */
export const TRANSPORT_STATUSES = [408, 413, 431] as const;
export type TransportStatus = (typeof TRANSPORT_STATUSES)[number];

export interface ErrorAnswerOptions {
  readonly format?: 'graphql';
  /** A 401's challenge when it is not Bearer (RFC 6749 §5.2: `Basic` at the token endpoint). */
  readonly challenge?: string;
  /** Seconds, for 429 and 503 answers (Retry-After). */
  readonly retryAfter?: number;
  /** Only for `invalid_request`: a transport refusal's status. */
  readonly transportStatus?: TransportStatus;
}

export interface ErrorAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function errorAnswer(code: ErrorCode, description: string, options: ErrorAnswerOptions = {}): ErrorAnswer {
  const status = code === 'invalid_request' && options.transportStatus !== undefined ? options.transportStatus : STATUS_OF[code];
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
  // Contract: every 401 carries a challenge.
  if (options.challenge !== undefined) headers['WWW-Authenticate'] = options.challenge;
  else if (isBearerChallenge(code)) headers['WWW-Authenticate'] = bearerChallenge(code, description);
  if (options.retryAfter !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(options.retryAfter)));
  // Contract, "Errors": on POST /graphql every error also carries GraphQL's format, same status.
  const body = options.format === 'graphql' ? errorBody(code, description) : { error: code, error_description: description };
  return { status, headers, body: JSON.stringify(body) };
}
