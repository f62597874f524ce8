/**
 * Workout session content: the three kinds (audio, block, video), the operator's input
 * validation (PUT /admin/sessions/{sessionId}) and the payload the API returns.
 *
 * The payload has a fixed shape per kind: every field is always present and an absent
 * optional value is `null`, never a missing key. That is what makes the GraphQL answer
 * (which also says `null`) byte-for-byte the same JSON as the REST payload restricted to
 * the selected fields, so an SDK computes the same payloadDigest from either channel.
 */
import { InvalidRequestError } from './errors';

export const SESSION_TYPES = ['audio', 'block', 'video'] as const;
export type SessionType = (typeof SESSION_TYPES)[number];
export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type Level = (typeof LEVELS)[number];

/** Session ids appear in paths, keys and tokens: short and URL-safe. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const LIMITS = {
  title: 200,
  description: 2000,
  name: 100,
  bio: 1000,
  url: 2048,
  tags: 20,
  tag: 40,
  blocks: 50,
  exercises: 50,
  /** 24 hours: no workout is longer. */
  durationSeconds: 86_400,
  reps: 1000,
} as const;

export interface Coach {
  name: string;
  bio: string | null;
  avatarUrl: string | null;
}

export interface WorkoutExercise {
  name: string;
  /** Timed exercises have a duration, counted ones have reps (or both). */
  durationSeconds: number | null;
  reps: number | null;
  videoUrl: string | null;
}

export interface WorkoutBlock {
  title: string;
  durationSeconds: number;
  restSeconds: number;
  exercises: WorkoutExercise[];
}

interface SessionBase {
  id: string;
  title: string;
  description: string | null;
  durationSeconds: number;
  level: Level;
  tags: string[];
  imageUrl: string | null;
  coach: Coach;
}

export interface AudioSession extends SessionBase {
  type: 'audio';
  audioUrl: string;
  transcriptUrl: string | null;
}

export interface VideoSession extends SessionBase {
  type: 'video';
  videoUrl: string;
  posterUrl: string | null;
  captionsUrl: string | null;
}

export interface BlockSession extends SessionBase {
  type: 'block';
  musicUrl: string | null;
  blocks: WorkoutBlock[];
}

/** The session payload, exactly as GET /v1/{clientName}/sessions/{sessionId} returns it. */
export type WorkoutSession = AudioSession | VideoSession | BlockSession;

export function isSessionId(v: unknown): v is string {
  return typeof v === 'string' && SESSION_ID_PATTERN.test(v);
}

type Obj = Record<string, unknown>;

function object(v: unknown, where: string, allowed: readonly string[]): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InvalidRequestError(`${where} must be an object`);
  // Unknown fields are refused rather than stored: they would silently change the payload digest.
  for (const k of Object.keys(v)) if (!allowed.includes(k)) throw new InvalidRequestError(`${where}: unknown field ${k}`);
  return v as Obj;
}

function text(v: unknown, where: string, max: number): string {
  if (typeof v !== 'string' || v.trim().length === 0 || v.length > max) {
    throw new InvalidRequestError(`${where} must be a non-empty string of at most ${max} characters`);
  }
  return v;
}

const optional = <T>(v: unknown, read: (x: unknown) => T): T | null => (v === undefined || v === null ? null : read(v));

function int(v: unknown, where: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new InvalidRequestError(`${where} must be an integer from ${min} to ${max}`);
  }
  return v;
}

function url(v: unknown, where: string): string {
  const s = text(v, where, LIMITS.url);
  let parsed: URL;
  try {
    parsed = new URL(s);
  } catch {
    throw new InvalidRequestError(`${where} must be an absolute URL`);
  }
  // Media is played by apps on the open internet: https only, no credentials in the URL.
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') {
    throw new InvalidRequestError(`${where} must be an https URL without credentials`);
  }
  return s;
}

function list<T>(v: unknown, where: string, min: number, max: number, read: (x: unknown, w: string) => T): T[] {
  if (!Array.isArray(v) || v.length < min || v.length > max) {
    throw new InvalidRequestError(`${where} must be an array of ${min} to ${max} items`);
  }
  return v.map((x, i) => read(x, `${where}[${i}]`));
}

function coach(v: unknown): Coach {
  const o = object(v, 'coach', ['name', 'bio', 'avatarUrl']);
  return {
    name: text(o.name, 'coach.name', LIMITS.name),
    bio: optional(o.bio, (x) => text(x, 'coach.bio', LIMITS.bio)),
    avatarUrl: optional(o.avatarUrl, (x) => url(x, 'coach.avatarUrl')),
  };
}

function exercise(v: unknown, where: string): WorkoutExercise {
  const o = object(v, where, ['name', 'durationSeconds', 'reps', 'videoUrl']);
  const e: WorkoutExercise = {
    name: text(o.name, `${where}.name`, LIMITS.name),
    durationSeconds: optional(o.durationSeconds, (x) => int(x, `${where}.durationSeconds`, 1, LIMITS.durationSeconds)),
    reps: optional(o.reps, (x) => int(x, `${where}.reps`, 1, LIMITS.reps)),
    videoUrl: optional(o.videoUrl, (x) => url(x, `${where}.videoUrl`)),
  };
  if (e.durationSeconds === null && e.reps === null) throw new InvalidRequestError(`${where} needs durationSeconds or reps`);
  return e;
}

function block(v: unknown, where: string): WorkoutBlock {
  const o = object(v, where, ['title', 'durationSeconds', 'restSeconds', 'exercises']);
  return {
    title: text(o.title, `${where}.title`, LIMITS.title),
    durationSeconds: int(o.durationSeconds, `${where}.durationSeconds`, 1, LIMITS.durationSeconds),
    restSeconds: o.restSeconds === undefined ? 0 : int(o.restSeconds, `${where}.restSeconds`, 0, LIMITS.durationSeconds),
    exercises: list(o.exercises, `${where}.exercises`, 1, LIMITS.exercises, exercise),
  };
}

const BASE_FIELDS = ['type', 'title', 'description', 'durationSeconds', 'level', 'tags', 'imageUrl', 'coach'] as const;
const KIND_FIELDS: Readonly<Record<SessionType, readonly string[]>> = {
  audio: ['audioUrl', 'transcriptUrl'],
  video: ['videoUrl', 'posterUrl', 'captionsUrl'],
  block: ['musicUrl', 'blocks'],
};
const TAG = /^[a-z0-9][a-z0-9-]*$/;

/** Validates an operator's PUT body into a session (`id` comes from the path). */
export function parseSession(id: string, body: unknown): WorkoutSession {
  if (!isSessionId(id)) throw new InvalidRequestError('sessionId must be 1-64 of [A-Za-z0-9_-], starting alphanumeric');
  const peek = object(body, 'body', [...BASE_FIELDS, 'id', ...Object.values(KIND_FIELDS).flat()]);
  const type = peek.type;
  if (typeof type !== 'string' || !(SESSION_TYPES as readonly string[]).includes(type)) {
    throw new InvalidRequestError(`type must be one of ${SESSION_TYPES.join(', ')}`);
  }
  const kind = type as SessionType;
  const o = object(body, 'body', [...BASE_FIELDS, 'id', ...KIND_FIELDS[kind]]);
  if (o.id !== undefined && o.id !== id) throw new InvalidRequestError('id in the body must match the path');
  if (typeof o.level !== 'string' || !(LEVELS as readonly string[]).includes(o.level)) {
    throw new InvalidRequestError(`level must be one of ${LEVELS.join(', ')}`);
  }
  const base: SessionBase = {
    id,
    title: text(o.title, 'title', LIMITS.title),
    description: optional(o.description, (x) => text(x, 'description', LIMITS.description)),
    durationSeconds: int(o.durationSeconds, 'durationSeconds', 1, LIMITS.durationSeconds),
    level: o.level as Level,
    tags:
      o.tags === undefined
        ? []
        : list(o.tags, 'tags', 0, LIMITS.tags, (x, w) => {
            const t = text(x, w, LIMITS.tag);
            if (!TAG.test(t)) throw new InvalidRequestError(`${w} must be lower-case [a-z0-9-]`);
            return t;
          }),
    imageUrl: optional(o.imageUrl, (x) => url(x, 'imageUrl')),
    coach: coach(o.coach),
  };
  switch (kind) {
    case 'audio':
      return { ...base, type: 'audio', audioUrl: url(o.audioUrl, 'audioUrl'), transcriptUrl: optional(o.transcriptUrl, (x) => url(x, 'transcriptUrl')) };
    case 'video':
      return {
        ...base,
        type: 'video',
        videoUrl: url(o.videoUrl, 'videoUrl'),
        posterUrl: optional(o.posterUrl, (x) => url(x, 'posterUrl')),
        captionsUrl: optional(o.captionsUrl, (x) => url(x, 'captionsUrl')),
      };
    case 'block':
      return {
        ...base,
        type: 'block',
        musicUrl: optional(o.musicUrl, (x) => url(x, 'musicUrl')),
        blocks: list(o.blocks, 'blocks', 1, LIMITS.blocks, block),
      };
  }
}

/**
 * The payload in a fixed key order (id, type, common fields, kind fields). Key order does
 * not matter to the digest (RFC 8785 sorts keys) but keeps answers readable.
 */
export function sessionPayload(s: WorkoutSession): WorkoutSession {
  const base = {
    id: s.id,
    type: s.type,
    title: s.title,
    description: s.description,
    durationSeconds: s.durationSeconds,
    level: s.level,
    tags: [...s.tags],
    imageUrl: s.imageUrl,
    coach: { name: s.coach.name, bio: s.coach.bio, avatarUrl: s.coach.avatarUrl },
  };
  switch (s.type) {
    case 'audio':
      return { ...base, type: 'audio', audioUrl: s.audioUrl, transcriptUrl: s.transcriptUrl };
    case 'video':
      return { ...base, type: 'video', videoUrl: s.videoUrl, posterUrl: s.posterUrl, captionsUrl: s.captionsUrl };
    case 'block':
      return {
        ...base,
        type: 'block',
        musicUrl: s.musicUrl,
        blocks: s.blocks.map((b) => ({
          title: b.title,
          durationSeconds: b.durationSeconds,
          restSeconds: b.restSeconds,
          exercises: b.exercises.map((e) => ({ name: e.name, durationSeconds: e.durationSeconds, reps: e.reps, videoUrl: e.videoUrl })),
        })),
      };
  }
}
