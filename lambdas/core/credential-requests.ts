/**
 * Bodies of the credential routes (secret rotation, revocation), validated once here so the
 * operator API and the client's own settings routes share the rules.
 */
import { CLOCK_SKEW_SECONDS } from './claims';
import { parseClientName } from './client-settings';
import { InvalidRequestError } from './errors';

/** Contract: graceSeconds 0..604800 (7 days), default 86400. */
export const MAX_GRACE_SECONDS = 604_800;
export const DEFAULT_GRACE_SECONDS = 86_400;
const MAX_JTI_LENGTH = 1024;

function objectBody(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (body === undefined) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidRequestError('body must be a JSON object');
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new InvalidRequestError(`unknown field ${unknown[0]}`);
  return body as Record<string, unknown>;
}

/** `{graceSeconds?}`; an absent body means the default grace. */
export function parseRotateSecret(body: unknown): { graceSeconds: number } {
  const b = objectBody(body, ['graceSeconds']);
  if (b.graceSeconds === undefined) return { graceSeconds: DEFAULT_GRACE_SECONDS };
  const g = b.graceSeconds;
  if (typeof g !== 'number' || !Number.isInteger(g) || g < 0 || g > MAX_GRACE_SECONDS) {
    throw new InvalidRequestError(`graceSeconds must be an integer from 0 to ${MAX_GRACE_SECONDS}`);
  }
  return { graceSeconds: g };
}

export type RevocationRequest = { kind: 'jti'; jti: string } | { kind: 'client'; clientName: string; issuedBefore: number };

/** NumericDate seconds, or an ISO 8601 date-time with a zone. */
export function parseInstant(v: unknown, name: string): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0 || v > 253_402_300_799) throw new InvalidRequestError(`${name} must be a NumericDate or ISO 8601`);
    return Math.floor(v);
  }
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
  }
  throw new InvalidRequestError(`${name} must be a NumericDate or an ISO 8601 date-time with a zone`);
}

/**
 * `{jti}` or `{clientName, issuedBefore}`. A cut-off more than the clock skew in the
 * future is refused: it would also revoke tokens not yet issued, locking the client out.
 * `forClient` (self-service) pins the clientName to the caller.
 */
export function parseRevocation(body: unknown, nowSeconds: number, forClient?: string): RevocationRequest {
  const b = objectBody(body ?? null, ['jti', 'clientName', 'issuedBefore']);
  if (b.jti !== undefined) {
    if (b.issuedBefore !== undefined) throw new InvalidRequestError('give either jti or issuedBefore, not both');
    if (typeof b.jti !== 'string' || b.jti.length === 0 || b.jti.length > MAX_JTI_LENGTH) {
      throw new InvalidRequestError(`jti must be a string of 1 to ${MAX_JTI_LENGTH} characters`);
    }
    return { kind: 'jti', jti: b.jti };
  }
  if (b.issuedBefore === undefined) throw new InvalidRequestError('give jti, or clientName and issuedBefore');
  const clientName = forClient ?? parseClientName(b.clientName);
  const issuedBefore = parseInstant(b.issuedBefore, 'issuedBefore');
  if (issuedBefore > nowSeconds + CLOCK_SKEW_SECONDS) throw new InvalidRequestError('issuedBefore must not be in the future');
  return { kind: 'client', clientName, issuedBefore };
}
