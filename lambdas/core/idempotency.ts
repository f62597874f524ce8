/**
 * Idempotency-Key on POST /v1/events: a client retrying a request (a timeout, a dropped
 * connection) sends the same key, and a repeat within the window gets the first answer back
 * instead of recording a second event. Header syntax after the IETF draft
 * (https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/): a string,
 * optionally in the structured-field quotes `"..."`; here 1–255 of `[A-Za-z0-9._:-]` so it can
 * be part of a table key as is.
 */
import { InvalidRequestError } from './errors';
import { payloadDigest } from './payload-digest';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** How long a key is remembered: a repeat after this records a new event. */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600;
/** Set on an answer that replays the first one (as Stripe names it). */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,255}$/;

/** The key, or undefined when the header is absent; 400 when it is present but unusable. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const unquoted = header.length >= 2 && header.startsWith('"') && header.endsWith('"') ? header.slice(1, -1) : header;
  if (!IDEMPOTENCY_KEY_PATTERN.test(unquoted))
    throw new InvalidRequestError('Idempotency-Key must be 1-255 of [A-Za-z0-9._:-] (e.g. a UUID)');
  return unquoted;
}

/**
 * What "the same request" means: the JSON body up to key order and whitespace (RFC 8785
 * canonical form, the same rule the payload digest uses).
 */
export function requestFingerprint(body: unknown): string {
  return payloadDigest(body);
}
