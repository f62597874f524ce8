/**
 * The GraphQL schema, in one place: this SDL. docs/schema.graphql is its printed form,
 * checked by test/core/graphql.test.ts (regenerate with npm run docs, or
 * `npx tsx -e "console.log(require('./lambdas/core/graphql/schema').printedSchema())" > docs/schema.graphql`).
 *
 * Field names are the REST payload's keys (lambdas/core/sessions.ts) and nullable fields
 * are exactly the payload's `null`-able ones, so a selection of fields is a restriction of
 * the REST payload: that is what the payloadDigest of a GraphQL answer covers.
 */
import { buildSchema, type GraphQLSchema, printSchema } from 'graphql';
import type { SessionType } from '../workout-sessions';

export const SCHEMA_SDL = /* GraphQL */ `
  """
  A workout session. The concrete type follows the session's kind.
  """
  interface WorkoutSession {
    id: ID!
    "audio, block or video"
    type: String!
    title: String!
    description: String
    durationSeconds: Int!
    "beginner, intermediate or advanced"
    level: String!
    tags: [String!]!
    imageUrl: String
    coach: Coach!
    """
    The WorkoutKitToken for this payload on the requesting device: bound to the device
    (X-WorkoutKit-Device), the end user, the session and the digest of the selected fields.
    """
    workoutKitToken: String!
  }

  type Coach {
    name: String!
    bio: String
    avatarUrl: String
  }

  """
  An audio-guided session.
  """
  type WorkoutAudioSession implements WorkoutSession {
    id: ID!
    type: String!
    title: String!
    description: String
    durationSeconds: Int!
    level: String!
    tags: [String!]!
    imageUrl: String
    coach: Coach!
    workoutKitToken: String!
    audioUrl: String!
    transcriptUrl: String
  }

  """
  A session of timed blocks of exercises.
  """
  type WorkoutBlockSession implements WorkoutSession {
    id: ID!
    type: String!
    title: String!
    description: String
    durationSeconds: Int!
    level: String!
    tags: [String!]!
    imageUrl: String
    coach: Coach!
    workoutKitToken: String!
    musicUrl: String
    blocks: [WorkoutBlock!]!
  }

  type WorkoutBlock {
    title: String!
    durationSeconds: Int!
    restSeconds: Int!
    exercises: [WorkoutExercise!]!
  }

  type WorkoutExercise {
    name: String!
    durationSeconds: Int
    reps: Int
    videoUrl: String
  }

  """
  A video session.
  """
  type WorkoutVideoSession implements WorkoutSession {
    id: ID!
    type: String!
    title: String!
    description: String
    durationSeconds: Int!
    level: String!
    tags: [String!]!
    imageUrl: String
    coach: Coach!
    workoutKitToken: String!
    videoUrl: String!
    posterUrl: String
    captionsUrl: String
  }

  type Query {
    """
    A session by id, with its WorkoutKitToken (also in extensions.workoutkit.token and the
    X-WorkoutKit-Token header). At most one per request.
    """
    publicWorkoutSession(id: ID!): WorkoutSession
  }
`;

export const TYPE_NAME: Readonly<Record<SessionType, string>> = {
  audio: 'WorkoutAudioSession',
  block: 'WorkoutBlockSession',
  video: 'WorkoutVideoSession',
};

/** Fields that are not payload: left out of the digest. */
export const NON_PAYLOAD_FIELDS: ReadonlySet<string> = new Set(['__typename', 'workoutKitToken']);

let built: GraphQLSchema | undefined;

/** Resolvers are the default ones (property access): the session resolver returns the payload. */
export function workoutSchema(): GraphQLSchema {
  return (built ??= buildSchema(SCHEMA_SDL));
}

export function printedSchema(): string {
  return printSchema(workoutSchema());
}
