/**
 * GraphQL pieces that need no server: the SDL kept in one place, the projection the
 * payloadDigest covers, and the limits checked before execution.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type FieldNode, type GraphQLObjectType, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { demoCatalogue } from '../../lambdas/core/demo-catalogue';
import { checkCost, checkDepth, fragmentsOf, MAX_DEPTH, selectedOperation } from '../../lambdas/core/graphql/limits';
import { graphqlPayload, projectSelection } from '../../lambdas/core/graphql/projection';
import { printedSchema, workoutSchema } from '../../lambdas/core/graphql/schema';
import { sessionPayload } from '../../lambdas/core/workout-sessions';

const schema = workoutSchema();
const block = sessionPayload(demoCatalogue().find((s) => s.type === 'block')!) as unknown as Record<string, unknown>;

function project(query: string, variables: Record<string, unknown> = {}): Record<string, unknown> {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const root = op.selectionSet.selections[0] as FieldNode;
  return projectSelection(
    { schema, fragments: fragmentsOf(doc), variables },
    schema.getType('WorkoutBlockSession') as GraphQLObjectType,
    [root],
    block,
  );
}

function refusal(query: string, variables: Record<string, unknown> = {}): string {
  const doc = parse(query);
  const op = selectedOperation(doc, undefined);
  try {
    checkDepth(op, fragmentsOf(doc));
    checkCost(schema, doc, op, variables);
  } catch (err) {
    expect(err).toMatchObject({ code: 'invalid_request', status: 400 });
    return (err as Error).message;
  }
  return 'accepted';
}

describe('schema', () => {
  test('docs/schema.graphql is the printed SDL of lambdas/core/graphql/schema.ts', () => {
    const file = readFileSync(path.join(__dirname, '../../docs/schema.graphql'), 'utf8');
    expect(file.trim()).toBe(printedSchema().trim());
  });

  test('the three session types implement WorkoutSession and each has workoutKitToken', () => {
    for (const name of ['WorkoutAudioSession', 'WorkoutBlockSession', 'WorkoutVideoSession']) {
      const t = schema.getType(name) as GraphQLObjectType;
      expect(t.getInterfaces().map((i) => i.name)).toEqual(['WorkoutSession']);
      expect(t.getFields().workoutKitToken).toBeDefined();
    }
  });
});

describe('projectSelection (what the GraphQL payloadDigest covers)', () => {
  test('keeps the selected fields, by field name, without __typename and workoutKitToken', () => {
    const out = project('{ publicWorkoutSession(id: "x") { __typename t: title id workoutKitToken coach { name } } }');
    expect(out).toEqual({ title: block.title, id: block.id, coach: { name: (block.coach as { name: string }).name } });
  });

  test('follows type conditions and fragments, merges repeated fields and honours @skip', () => {
    const out = project(
      `query($skip: Boolean!) { publicWorkoutSession(id: "x") {
        ... on WorkoutAudioSession { audioUrl }
        ... on WorkoutBlockSession { blocks { title } }
        ...More
        description @skip(if: $skip)
      } }
      fragment More on WorkoutBlockSession { blocks { exercises { name } } }`,
      { skip: true },
    );
    const blocks = block.blocks as { title: string; exercises: { name: string }[] }[];
    expect(out).toEqual({ blocks: blocks.map((b) => ({ title: b.title, exercises: b.exercises.map((e) => ({ name: e.name })) })) });
  });

  test('equals what an SDK derives from the GraphQL answer (graphqlPayload) for a query without aliases', () => {
    const answer = {
      __typename: 'WorkoutBlockSession',
      id: block.id,
      title: block.title,
      workoutKitToken: 'x.y.z',
      coach: { __typename: 'Coach', name: 'Leo Brandt' },
    };
    expect(graphqlPayload(answer)).toEqual(
      project('{ publicWorkoutSession(id: "x") { __typename id title workoutKitToken coach { __typename name } } }'),
    );
  });
});

describe('limits', () => {
  test('accepts the full block-session query', () => {
    expect(
      refusal(`{ publicWorkoutSession(id: "x") { id type title description durationSeconds level tags imageUrl workoutKitToken
        coach { name bio avatarUrl }
        ... on WorkoutBlockSession { musicUrl blocks { title durationSeconds restSeconds exercises { name durationSeconds reps videoUrl } } }
        ... on WorkoutAudioSession { audioUrl transcriptUrl }
        ... on WorkoutVideoSession { videoUrl posterUrl captionsUrl } } }`),
    ).toBe('accepted');
  });

  test('refuses 100 aliases of publicWorkoutSession on cost', () => {
    const q = `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: publicWorkoutSession(id: "x") { id }`).join(' ')} }`;
    expect(refusal(q)).toMatch(/cost/);
  });

  test('refuses two publicWorkoutSession fields even when cheap (one token binds one payload)', () => {
    expect(refusal('{ a: publicWorkoutSession(id: "x") { id } b: publicWorkoutSession(id: "y") { id } }')).toMatch(/At most one/);
  });

  test('refuses a chain of fragments nested past the depth limit', () => {
    const chain = Array.from({ length: MAX_DEPTH + 2 }, (_, i) => `fragment F${i} on WorkoutSession { id ...F${i + 1} }`).join('\n');
    const q = `{ publicWorkoutSession(id: "x") { ...F0 } }\n${chain}\nfragment F${MAX_DEPTH + 2} on WorkoutSession { id }`;
    expect(refusal(q)).toMatch(/depth/);
  });

  test('measures a widely shared fragment once (no exponential walk)', () => {
    const frags = Array.from(
      { length: 6 },
      (_, i) => `fragment G${i} on Coach { name ${i < 5 ? Array.from({ length: 50 }, () => `...G${i + 1}`).join(' ') : ''} }`,
    ).join('\n');
    const doc = parse(`{ publicWorkoutSession(id: "x") { coach { ...G0 } } }\n${frags}`);
    const started = Date.now();
    expect(() => checkDepth(selectedOperation(doc, undefined), fragmentsOf(doc))).toThrow(/depth/);
    expect(Date.now() - started).toBeLessThan(500);
  });
});
