/**
 * Bodies of the credential routes (secret rotation, revocation), declared once here so the
 * operator API and the client's own settings routes share the rules and the document.
 */
import * as v from 'valibot';
import { CLOCK_SKEW_SECONDS } from './claims';
import { parseClientName } from './client-settings';
import { InvalidRequestError } from './errors';
import { ClientName } from './schemas/client';
import { integer, parseInput } from './schemas/validate';

/** Contract: graceSeconds 0..604800 (7 days), default 86400. */
export const MAX_GRACE_SECONDS = 604_800;
export const DEFAULT_GRACE_SECONDS = 86_400;
const MAX_JTI_LENGTH = 1024;
const LATEST_NUMERIC_DATE = 253_402_300_799; // 9999-12-31T23:59:59Z
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An absent body means the default grace. */
export const RotateSecretRequest = v.optional(
  v.strictObject({
    graceSeconds: v.optional(
      v.pipe(
        integer(0, MAX_GRACE_SECONDS),
        v.description('how long the previous secret keeps working'),
        v.metadata({ default: DEFAULT_GRACE_SECONDS }),
      ),
    ),
  }),
);

export function parseRotateSecret(body: unknown): { graceSeconds: number } {
  return { graceSeconds: parseInput(RotateSecretRequest, body)?.graceSeconds ?? DEFAULT_GRACE_SECONDS };
}

export type RevocationRequest = { kind: 'jti'; jti: string } | { kind: 'client'; clientName: string; issuedBefore: number };

const INSTANT_TEXT = 'must be a NumericDate or an ISO 8601 date-time with a zone';
const instant = () =>
  v.union(
    [
      v.pipe(v.number(), v.minValue(0, INSTANT_TEXT), v.maxValue(LATEST_NUMERIC_DATE, INSTANT_TEXT), v.description('NumericDate seconds')),
      v.pipe(v.string(), v.regex(ISO_WITH_ZONE, INSTANT_TEXT), v.description('ISO 8601 with a zone')),
    ],
    INSTANT_TEXT,
  );

/** NumericDate seconds, or an ISO 8601 date-time with a zone. */
export function parseInstant(value: unknown, name: string): number {
  const t = parseInput(instant(), value, { what: name });
  if (typeof t === 'number') return Math.floor(t);
  const ms = Date.parse(t);
  if (!Number.isFinite(ms)) throw new InvalidRequestError(`${name} ${INSTANT_TEXT}`);
  return Math.floor(ms / 1000);
}

const Jti = v.pipe(
  v.string(`must be a string of 1 to ${MAX_JTI_LENGTH} characters`),
  v.minLength(1, `must be a string of 1 to ${MAX_JTI_LENGTH} characters`),
  v.maxLength(MAX_JTI_LENGTH, `must be a string of 1 to ${MAX_JTI_LENGTH} characters`),
);

/** `{jti}`, or `{clientName, issuedBefore}`; self-service names no client (or its own). */
const revocation = (clientRequired: boolean) =>
  v.pipe(
    v.strictObject({
      jti: v.optional(Jti),
      clientName: v.optional(clientRequired ? ClientName : v.pipe(ClientName, v.description("the caller's own name, if given"))),
      issuedBefore: v.optional(v.pipe(instant(), v.description('tokens issued before this are revoked; at most the clock skew ahead'))),
    }),
    v.metadata({
      oneOf: [
        { required: ['jti'], not: { required: ['issuedBefore'] } },
        { required: clientRequired ? ['clientName', 'issuedBefore'] : ['issuedBefore'], not: { required: ['jti'] } },
      ],
    }),
  );
export const RevocationRequest = revocation(true);
export const SettingsRevocationRequest = revocation(false);

/**
 * A cut-off more than the clock skew in the future is refused: it would also revoke tokens
 * not yet issued, locking the client out. `forClient` (self-service) pins the clientName to
 * the caller.
 */
export function parseRevocation(body: unknown, nowSeconds: number, forClient?: string): RevocationRequest {
  const b = parseInput(forClient === undefined ? RevocationRequest : SettingsRevocationRequest, body ?? null);
  if (b.jti !== undefined) {
    if (b.issuedBefore !== undefined) throw new InvalidRequestError('give either jti or issuedBefore, not both');
    return { kind: 'jti', jti: b.jti };
  }
  if (b.issuedBefore === undefined) throw new InvalidRequestError('give jti, or clientName and issuedBefore');
  const clientName = forClient ?? parseClientName(b.clientName);
  const issuedBefore = parseInstant(b.issuedBefore, 'issuedBefore');
  if (issuedBefore > nowSeconds + CLOCK_SKEW_SECONDS) throw new InvalidRequestError('issuedBefore must not be in the future');
  return { kind: 'client', clientName, issuedBefore };
}
