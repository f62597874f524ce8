/**
 * A small demo catalogue, one session of each kind, that the local gateway seeds into each
 * stage when absent (so the README walk-through works at once). Media URLs point at the
 * reserved example.com domain: nothing real is played.
 */
import { parseSession } from './schemas/session';
import type { WorkoutSession } from './workout-sessions';

const MEDIA = 'https://media.example.com/workoutkit-demo';

const INPUT: Readonly<Record<string, unknown>> = {
  'morning-run-30': {
    type: 'audio',
    title: 'Morning Run: Easy 30',
    description: 'A conversational-pace outdoor run with coaching cues every five minutes.',
    durationSeconds: 1800,
    level: 'beginner',
    tags: ['running', 'outdoor', 'audio-guided'],
    imageUrl: `${MEDIA}/morning-run-30/cover.jpg`,
    coach: { name: 'Maya Okafor', bio: 'Marathoner and run coach.', avatarUrl: `${MEDIA}/coaches/maya.jpg` },
    audioUrl: `${MEDIA}/morning-run-30/guide.m4a`,
    transcriptUrl: `${MEDIA}/morning-run-30/transcript.vtt`,
  },
  'hiit-20-core': {
    type: 'block',
    title: 'HIIT 20: Core Burner',
    description: 'Three blocks of intervals with short rests.',
    durationSeconds: 1200,
    level: 'intermediate',
    tags: ['hiit', 'core', 'no-equipment'],
    imageUrl: `${MEDIA}/hiit-20-core/cover.jpg`,
    coach: { name: 'Leo Brandt', bio: null, avatarUrl: `${MEDIA}/coaches/leo.jpg` },
    musicUrl: `${MEDIA}/hiit-20-core/mix.m4a`,
    blocks: [
      {
        title: 'Warm-up',
        durationSeconds: 240,
        restSeconds: 30,
        exercises: [
          { name: 'Jumping jacks', durationSeconds: 60, videoUrl: `${MEDIA}/exercises/jumping-jacks.mp4` },
          { name: 'Inchworms', reps: 8, videoUrl: `${MEDIA}/exercises/inchworms.mp4` },
        ],
      },
      {
        title: 'Core intervals',
        durationSeconds: 600,
        restSeconds: 60,
        exercises: [
          { name: 'Mountain climbers', durationSeconds: 45, videoUrl: `${MEDIA}/exercises/mountain-climbers.mp4` },
          { name: 'Bicycle crunches', reps: 20 },
          { name: 'Plank', durationSeconds: 60, videoUrl: `${MEDIA}/exercises/plank.mp4` },
        ],
      },
      {
        title: 'Cool-down',
        durationSeconds: 270,
        exercises: [{ name: "Child's pose", durationSeconds: 90 }],
      },
    ],
  },
  'yoga-flow-15': {
    type: 'video',
    title: 'Yoga Flow 15',
    description: 'A gentle full-body flow for the end of the day.',
    durationSeconds: 900,
    level: 'beginner',
    tags: ['yoga', 'mobility'],
    imageUrl: `${MEDIA}/yoga-flow-15/cover.jpg`,
    coach: { name: 'Aiko Tanaka', bio: 'Vinyasa teacher, 12 years.', avatarUrl: null },
    videoUrl: `${MEDIA}/yoga-flow-15/master.m3u8`,
    posterUrl: `${MEDIA}/yoga-flow-15/poster.jpg`,
    captionsUrl: `${MEDIA}/yoga-flow-15/captions-en.vtt`,
  },
};

/** The demo sessions, validated by the same rules as operator input. */
export function demoCatalogue(): WorkoutSession[] {
  return Object.entries(INPUT).map(([id, body]) => parseSession(id, body));
}
