/**
 * The public catalogue (GET /v1/{clientName}/catalog): one summary per session, without
 * anything that lets a caller play it (no media URL, no launch token), paged by an opaque
 * cursor.
 */
import { InvalidRequestError } from './errors';
import { isSessionId, type SessionType, type WorkoutSession } from './workout-sessions';

export interface CatalogEntry {
  id: string;
  type: SessionType;
  title: string;
  durationSeconds: number;
  /** The coach's name only: the avatar is a media URL. */
  coach: { name: string };
}

export function catalogEntry(s: WorkoutSession): CatalogEntry {
  return { id: s.id, type: s.type, title: s.title, durationSeconds: s.durationSeconds, coach: { name: s.coach.name } };
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface CatalogQuery {
  limit: number;
  /** Entries with ids after this one (the cursor's content). */
  after?: string;
}

/**
 * The cursor is base64url JSON `{"after": id}`: opaque to callers (its form may change), and
 * harmless if edited, since it can only name a position in the same public list.
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  if (cursor.length === 0 || cursor.length > 256 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidRequestError('cursor is not valid');
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (isSessionId(v.after)) return v.after;
  } catch {
    // fall through
  }
  throw new InvalidRequestError('cursor is not valid');
}

export function parseCatalogQuery(query: Readonly<Record<string, string>>): CatalogQuery {
  const unknown = Object.keys(query).filter((k) => k !== 'limit' && k !== 'cursor');
  if (unknown.length > 0) throw new InvalidRequestError(`unknown query parameter ${unknown[0]}`);
  let limit = DEFAULT_PAGE_SIZE;
  if (query.limit !== undefined) {
    if (!/^\d{1,3}$/.test(query.limit) || Number(query.limit) < 1 || Number(query.limit) > MAX_PAGE_SIZE) {
      throw new InvalidRequestError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    limit = Number(query.limit);
  }
  return query.cursor === undefined ? { limit } : { limit, after: decodeCursor(query.cursor) };
}
