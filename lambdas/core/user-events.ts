/**
 * POST /v1/events input: a user event `{type, sessionId?, occurredAt?, data?}`, validated
 * and bounded before anything is stored (one item per event, so size is cost).
 */
import * as v from 'valibot';
import { InvalidRequestError } from './errors';
import { jsonDepthExceeds } from './json-input';
import { SessionId } from './schemas/parameters';
import { parseInput } from './schemas/validate';

export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
/** Serialized size of `data`. */
export const MAX_EVENT_DATA_BYTES = 4096;
export const MAX_EVENT_DATA_DEPTH = 4;
/** Events may be sent late (offline apps) but not from the far past or the future. */
export const MAX_EVENT_AGE_SECONDS = 30 * 24 * 3600;
export const MAX_EVENT_FUTURE_SECONDS = 5 * 60;

export interface UserEventInput {
  type: string;
  sessionId?: string;
  /** ISO 8601 UTC (normalized). */
  occurredAt: string;
  data?: Record<string, unknown>;
}

const TYPE_TEXT = 'must be 1-64 of [a-z0-9_.-], starting with a letter (e.g. session.completed)';

export const EventRequest = v.strictObject({
  type: v.pipe(v.string(TYPE_TEXT), v.regex(EVENT_TYPE_PATTERN, TYPE_TEXT), v.description('e.g. session.completed')),
  sessionId: v.optional(SessionId),
  occurredAt: v.optional(
    v.pipe(
      v.string('must be an ISO 8601 date-time'),
      v.regex(/^\d{4}-\d{2}-\d{2}T/, 'must be an ISO 8601 date-time'),
      v.description('when it happened: within the last 30 days, at most 5 minutes ahead; default: when received'),
      v.metadata({ format: 'date-time' }),
    ),
  ),
  data: v.optional(
    v.pipe(
      v.record(v.string(), v.unknown(), 'must be a JSON object'),
      v.description(`at most ${MAX_EVENT_DATA_BYTES} bytes of JSON, nested at most ${MAX_EVENT_DATA_DEPTH} levels`),
    ),
  ),
});

export function parseUserEvent(body: unknown, nowMs: number): UserEventInput {
  const o = parseInput(EventRequest, body);
  const out: UserEventInput = { type: o.type, occurredAt: new Date(nowMs).toISOString() };
  if (o.sessionId !== undefined) out.sessionId = o.sessionId;
  if (o.occurredAt !== undefined) {
    const t = Date.parse(o.occurredAt);
    if (!Number.isFinite(t)) throw new InvalidRequestError('occurredAt must be an ISO 8601 date-time');
    if (t < nowMs - MAX_EVENT_AGE_SECONDS * 1000 || t > nowMs + MAX_EVENT_FUTURE_SECONDS * 1000) {
      throw new InvalidRequestError('occurredAt must lie within the last 30 days (and at most 5 minutes ahead)');
    }
    out.occurredAt = new Date(t).toISOString();
  }
  if (o.data !== undefined) {
    // Depth first: JSON.stringify recurses, so it only ever sees bounded nesting.
    if (jsonDepthExceeds(o.data, MAX_EVENT_DATA_DEPTH))
      throw new InvalidRequestError(`data nests deeper than ${MAX_EVENT_DATA_DEPTH} levels`);
    if (Buffer.byteLength(JSON.stringify(o.data), 'utf8') > MAX_EVENT_DATA_BYTES) throw new InvalidRequestError('data over 4 KiB');
    out.data = o.data;
  }
  return out;
}
