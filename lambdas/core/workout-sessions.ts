/**
 * Workout session content: the three kinds (audio, block, video), the payload the API returns
 * (the operator's input is declared in core/schemas/session.ts).
 *
 * The payload has a fixed shape per kind: every field is always present and an absent
 * optional value is `null`, never a missing key. That is what makes the GraphQL answer
 * (which also says `null`) byte-for-byte the same JSON as the REST payload restricted to
 * the selected fields, so an SDK computes the same payloadDigest from either channel.
 */
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
