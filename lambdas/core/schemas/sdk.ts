/**
 * What the SDK side sends: POST /v1/sdk/launch and POST /graphql bodies.
 */
import * as v from 'valibot';
import type { LaunchRequest } from '../launch-token';
import { PAYLOAD_DIGEST_PATTERN } from '../payload-digest';
import { MAX_TOKEN_BYTES } from '../limits';
import { DeviceId, SessionId } from './parameters';
import { parseInput } from './validate';

const TOKEN_TEXT = 'must be a string of at most 8 KiB';
const DIGEST_TEXT = 'must be 43 characters of unpadded base64url (SHA-256)';

export const LaunchRequestSchema = v.strictObject({
  token: v.pipe(
    v.string(TOKEN_TEXT),
    v.minLength(1, TOKEN_TEXT),
    // The bearer-token bound of the contract (8 KiB), applied to the WorkoutKitToken too (its characters are ASCII).
    v.maxLength(MAX_TOKEN_BYTES, TOKEN_TEXT),
    v.description('the WorkoutKitToken'),
  ),
  deviceId: DeviceId,
  sessionId: SessionId,
  payloadDigest: v.pipe(
    v.string(DIGEST_TEXT),
    v.regex(PAYLOAD_DIGEST_PATTERN, DIGEST_TEXT),
    v.description('base64url (no padding) SHA-256 of the RFC 8785 canonical JSON of the session payload'),
  ),
});

export function parseLaunchRequest(body: unknown): LaunchRequest {
  return parseInput(LaunchRequestSchema, body);
}

export interface GraphqlBody {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

export const GraphQLRequest = v.strictObject({
  query: v.pipe(
    v.string('must be a non-empty string'),
    v.minLength(1, 'must be a non-empty string'),
    v.description('a GraphQL document (docs/schema.graphql)'),
    v.metadata({ examples: ['{ publicWorkoutSession(id: "example") { id title workoutKitToken } }'] }),
  ),
  variables: v.nullish(v.record(v.string(), v.unknown(), 'must be an object')),
  operationName: v.nullish(v.string('must be a string')),
  extensions: v.optional(v.pipe(v.unknown(), v.description('accepted and ignored'))),
});

export function parseGraphqlBody(body: unknown): GraphqlBody {
  const b = parseInput(GraphQLRequest, body);
  return {
    query: b.query,
    variables: b.variables ?? {},
    ...(typeof b.operationName === 'string' ? { operationName: b.operationName } : {}),
  };
}
