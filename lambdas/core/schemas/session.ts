/**
 * PUT /admin/sessions/{sessionId}: the operator's session content, one schema per kind chosen
 * by `type` (the document shows the three as a discriminated union). Unknown fields are
 * refused rather than stored: they would silently change the payload digest.
 */
import * as v from 'valibot';
import { InvalidRequestError } from '../errors';
import { isSessionId, LEVELS, LIMITS, SESSION_TYPES, type WorkoutSession } from '../workout-sessions';
import { integer, parseInput } from './validate';

export const SESSION_ID_RULE = '1-64 of [A-Za-z0-9_-], starting alphanumeric';

/** Non-empty, not only whitespace, at most `max`. */
const text = (max: number) => {
  const m = `must be a non-empty string of at most ${max} characters`;
  return v.pipe(v.string(m), v.maxLength(max, m), v.regex(/\S/, m));
};

/** Media is played by apps on the open internet: https only, no credentials in the URL. */
const mediaUrl = () => {
  const https = 'must be an https URL without credentials';
  const m = `must be a non-empty string of at most ${LIMITS.url} characters`;
  return v.pipe(
    v.string(m),
    v.minLength(1, m),
    v.maxLength(LIMITS.url, m),
    v.url('must be an absolute URL'),
    v.regex(/^https:\/\//, https),
    v.check((s) => {
      const u = new URL(s);
      return u.username === '' && u.password === '';
    }, https),
    v.metadata({ format: 'uri' }),
  );
};
const optionalUrl = () => v.nullish(mediaUrl());

const Coach = v.strictObject({
  name: text(LIMITS.name),
  bio: v.nullish(text(LIMITS.bio)),
  avatarUrl: optionalUrl(),
});

const Exercise = v.pipe(
  v.strictObject({
    name: text(LIMITS.name),
    durationSeconds: v.nullish(integer(1, LIMITS.durationSeconds)),
    reps: v.nullish(integer(1, LIMITS.reps)),
    videoUrl: optionalUrl(),
  }),
  v.check((e) => (e.durationSeconds ?? null) !== null || (e.reps ?? null) !== null, 'needs durationSeconds or reps'),
  v.description('timed (durationSeconds), counted (reps), or both'),
  v.metadata({
    anyOf: [
      { required: ['durationSeconds'], properties: { durationSeconds: { type: 'integer' } } },
      { required: ['reps'], properties: { reps: { type: 'integer' } } },
    ],
  }),
);

const Block = v.strictObject({
  title: text(LIMITS.title),
  durationSeconds: integer(1, LIMITS.durationSeconds),
  restSeconds: v.optional(integer(0, LIMITS.durationSeconds)),
  exercises: v.pipe(
    v.array(Exercise, `must be an array of 1 to ${LIMITS.exercises} items`),
    v.minLength(1, `must be an array of 1 to ${LIMITS.exercises} items`),
    v.maxLength(LIMITS.exercises, `must be an array of 1 to ${LIMITS.exercises} items`),
  ),
});

const TAG_TEXT = `must be lower-case [a-z0-9-], at most ${LIMITS.tag} characters`;
const TAGS_TEXT = `must be an array of at most ${LIMITS.tags} tags`;
const LEVEL_TEXT = `must be one of ${LEVELS.join(', ')}`;

/** What every kind has; `id`, when given, must match the path. */
const base = {
  id: v.optional(v.pipe(v.string('must be the path sessionId'), v.description('optional; the path sessionId'))),
  title: text(LIMITS.title),
  description: v.nullish(text(LIMITS.description)),
  durationSeconds: integer(1, LIMITS.durationSeconds),
  level: v.picklist(LEVELS, LEVEL_TEXT),
  tags: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(TAG_TEXT), v.regex(/^[a-z0-9][a-z0-9-]*$/, TAG_TEXT), v.maxLength(LIMITS.tag, TAG_TEXT)), TAGS_TEXT),
      v.maxLength(LIMITS.tags, TAGS_TEXT),
    ),
  ),
  imageUrl: optionalUrl(),
  coach: Coach,
};

const TYPE_TEXT = `must be one of ${SESSION_TYPES.join(', ')}`;
export const PutSessionRequest = v.pipe(
  v.variant(
    'type',
    [
      v.strictObject({ type: v.literal('audio', TYPE_TEXT), ...base, audioUrl: mediaUrl(), transcriptUrl: optionalUrl() }),
      v.strictObject({
        type: v.literal('block', TYPE_TEXT),
        ...base,
        musicUrl: optionalUrl(),
        blocks: v.pipe(
          v.array(Block, `must be an array of 1 to ${LIMITS.blocks} items`),
          v.minLength(1, `must be an array of 1 to ${LIMITS.blocks} items`),
          v.maxLength(LIMITS.blocks, `must be an array of 1 to ${LIMITS.blocks} items`),
        ),
      }),
      v.strictObject({
        type: v.literal('video', TYPE_TEXT),
        ...base,
        videoUrl: mediaUrl(),
        posterUrl: optionalUrl(),
        captionsUrl: optionalUrl(),
      }),
    ],
    TYPE_TEXT,
  ),
  v.description('the session content without its id, one shape per type; absent optional values are stored as null'),
);

const orNull = <T>(x: T | null | undefined): T | null => x ?? null;

/** Validates an operator's PUT body into a session (`id` comes from the path). */
export function parseSession(id: string, body: unknown): WorkoutSession {
  if (!isSessionId(id)) throw new InvalidRequestError(`sessionId must be ${SESSION_ID_RULE}`);
  const o = parseInput(PutSessionRequest, body);
  if (o.id !== undefined && o.id !== id) throw new InvalidRequestError('id in the body must match the path');
  const common = {
    id,
    title: o.title,
    description: orNull(o.description),
    durationSeconds: o.durationSeconds,
    level: o.level,
    tags: o.tags ?? [],
    imageUrl: orNull(o.imageUrl),
    coach: { name: o.coach.name, bio: orNull(o.coach.bio), avatarUrl: orNull(o.coach.avatarUrl) },
  };
  switch (o.type) {
    case 'audio':
      return { ...common, type: 'audio', audioUrl: o.audioUrl, transcriptUrl: orNull(o.transcriptUrl) };
    case 'video':
      return { ...common, type: 'video', videoUrl: o.videoUrl, posterUrl: orNull(o.posterUrl), captionsUrl: orNull(o.captionsUrl) };
    case 'block':
      return {
        ...common,
        type: 'block',
        musicUrl: orNull(o.musicUrl),
        blocks: o.blocks.map((b) => ({
          title: b.title,
          durationSeconds: b.durationSeconds,
          restSeconds: b.restSeconds ?? 0,
          exercises: b.exercises.map((e) => ({
            name: e.name,
            durationSeconds: orNull(e.durationSeconds),
            reps: orNull(e.reps),
            videoUrl: orNull(e.videoUrl),
          })),
        })),
      };
  }
}
