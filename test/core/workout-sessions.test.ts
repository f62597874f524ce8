import { demoCatalogue } from '../../lambdas/core/demo-catalogue';
import { parseSession } from '../../lambdas/core/schemas/session';
import { sessionPayload } from '../../lambdas/core/workout-sessions';
import { parseUserEvent } from '../../lambdas/core/user-events';

const audio = {
  type: 'audio',
  title: 'Evening Walk',
  durationSeconds: 1200,
  level: 'beginner',
  coach: { name: 'Sam' },
  audioUrl: 'https://media.example.com/walk.m4a',
};

describe('parseSession', () => {
  test('accepts a valid session and fills absent optional fields with null', () => {
    const s = parseSession('walk', audio);
    expect(sessionPayload(s)).toEqual({
      id: 'walk',
      type: 'audio',
      title: 'Evening Walk',
      description: null,
      durationSeconds: 1200,
      level: 'beginner',
      tags: [],
      imageUrl: null,
      coach: { name: 'Sam', bio: null, avatarUrl: null },
      audioUrl: 'https://media.example.com/walk.m4a',
      transcriptUrl: null,
    });
  });

  test.each([
    ['an unknown type', { ...audio, type: 'podcast' }],
    ['a field of another kind', { ...audio, videoUrl: 'https://x.example.com/v.m3u8' }],
    ['an unknown field', { ...audio, price: 3 }],
    ['a plain-http media URL', { ...audio, audioUrl: 'http://media.example.com/a.m4a' }],
    ['a URL with credentials', { ...audio, audioUrl: 'https://u:p@media.example.com/a.m4a' }],
    ['a non-integer duration', { ...audio, durationSeconds: 12.5 }],
    ['a title over 200 characters', { ...audio, title: 'x'.repeat(201) }],
    ['an id in the body that differs from the path', { ...audio, id: 'other' }],
    ['a block session without blocks', { ...audio, type: 'block', audioUrl: undefined, blocks: [] }],
  ])('refuses %s with invalid_request', (_name, body) => {
    expect(() => parseSession('walk', body)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  test('refuses an exercise with neither duration nor reps, and a malformed session id', () => {
    const blockBody = {
      ...audio,
      type: 'block',
      audioUrl: undefined,
      blocks: [{ title: 'B', durationSeconds: 60, exercises: [{ name: 'Squat' }] }],
    };
    delete (blockBody as Record<string, unknown>).audioUrl;
    expect(() => parseSession('b', blockBody)).toThrow(/durationSeconds or reps/);
    expect(() => parseSession('../etc', audio)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  test('the demo catalogue has one valid session of each kind', () => {
    expect(
      demoCatalogue()
        .map((s) => s.type)
        .sort(),
    ).toEqual(['audio', 'block', 'video']);
  });
});

describe('parseUserEvent', () => {
  const now = Date.UTC(2026, 10, 23, 12);
  test('accepts a bounded event and defaults occurredAt to now', () => {
    expect(parseUserEvent({ type: 'session.started', sessionId: 'hiit-20-core' }, now)).toEqual({
      type: 'session.started',
      sessionId: 'hiit-20-core',
      occurredAt: new Date(now).toISOString(),
    });
  });

  test.each([
    ['a malformed type', { type: 'Started!' }],
    ['data over 4 KiB', { type: 'x', data: { blob: 'x'.repeat(5000) } }],
    ['data nested too deep', { type: 'x', data: { a: { b: { c: { d: { e: 1 } } } } } }],
    ['an occurredAt in the far past', { type: 'x', occurredAt: '2020-01-01T00:00:00Z' }],
    ['an occurredAt that is not a date', { type: 'x', occurredAt: 'yesterday' }],
    ['an unknown field', { type: 'x', userId: 'u' }],
  ])('refuses %s', (_name, body) => {
    expect(() => parseUserEvent(body, now)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});
