/**
 * POST /v1/events input: a user event `{type, sessionId?, occurredAt?, data?}`, validated
 * and bounded before anything is stored (one item per event, so size is cost).
 */
import { InvalidRequestError } from './errors';
import { jsonDepthExceeds } from './json-input';
import { isSessionId } from './sessions';

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


export function parseUserEvent(body: unknown, nowMs: number): UserEventInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidRequestError('Body must be a JSON object');
  const o = body as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!['type', 'sessionId', 'occurredAt', 'data'].includes(k)) throw new InvalidRequestError(`Unknown field ${k}`);
  }
  if (typeof o.type !== 'string' || !EVENT_TYPE_PATTERN.test(o.type)) {
    throw new InvalidRequestError('type must be 1-64 of [a-z0-9_.-], starting with a letter (e.g. session.completed)');
  }
  const out: UserEventInput = { type: o.type, occurredAt: new Date(nowMs).toISOString() };
  if (o.sessionId !== undefined) {
    if (!isSessionId(o.sessionId)) throw new InvalidRequestError('sessionId is not a valid session id');
    out.sessionId = o.sessionId;
  }
  if (o.occurredAt !== undefined) {
    const t = typeof o.occurredAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(o.occurredAt) ? Date.parse(o.occurredAt) : NaN;
    if (!Number.isFinite(t)) throw new InvalidRequestError('occurredAt must be an ISO 8601 date-time');
    if (t < nowMs - MAX_EVENT_AGE_SECONDS * 1000 || t > nowMs + MAX_EVENT_FUTURE_SECONDS * 1000) {
      throw new InvalidRequestError('occurredAt must lie within the last 30 days (and at most 5 minutes ahead)');
    }
    out.occurredAt = new Date(t).toISOString();
  }
  if (o.data !== undefined) {
    if (o.data === null || typeof o.data !== 'object' || Array.isArray(o.data)) throw new InvalidRequestError('data must be a JSON object');
    // Depth first: JSON.stringify recurses, so it only ever sees bounded nesting.
    if (jsonDepthExceeds(o.data, MAX_EVENT_DATA_DEPTH)) throw new InvalidRequestError(`data nests deeper than ${MAX_EVENT_DATA_DEPTH} levels`);
    if (Buffer.byteLength(JSON.stringify(o.data), 'utf8') > MAX_EVENT_DATA_BYTES) throw new InvalidRequestError('data over 4 KiB');
    out.data = o.data as Record<string, unknown>;
  }
  return out;
}
