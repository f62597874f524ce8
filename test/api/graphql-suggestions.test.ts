/**
 * GraphQL "Did you mean …?" suggestions: with introspection off in prod they would still
 * reveal field, argument and type names one typo at a time, so prod answers without them.
 * Sandbox keeps them (introspection is on there). Over HTTP against the local gateway.
 */
import { createClient } from '../support/clients';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  gw = await startTestGateway();
  for (const stage of ['sandbox', 'prod'] as const) {
    const secret = await createClient(gw, stage, 'typo-app', { scopes: ['read'] });
    const res = await gw.call(stage, 'POST', '/authtoken', { body: { clientName: 'typo-app', clientSecret: secret, sub: 'user-1' } });
    tokens[stage] = res.body.token as string;
  }
}, 90_000);
afterAll(() => gw.close());

const ask = (stage: 'sandbox' | 'prod', body: unknown) =>
  gw.call(stage, 'POST', '/graphql', { body, token: tokens[stage] as string, headers: { 'X-WorkoutKit-Device': 'device-typo-0001' } });

const TYPOS: [string, unknown][] = [
  ['a misspelt root field', { query: '{ publicWorkoutSesion(id: "hiit-20-core") { id } }' }],
  [
    'a misspelt field of a session type',
    { query: '{ publicWorkoutSession(id: "hiit-20-core") { ... on WorkoutAudioSession { titel } } }' },
  ],
  ['a misspelt argument', { query: '{ publicWorkoutSession(idd: "hiit-20-core") { id } }' }],
  ['a misspelt type condition', { query: '{ publicWorkoutSession(id: "hiit-20-core") { ... on WorkoutAudioSesion { id } } }' }],
  [
    'a misspelt variable type',
    { query: 'query($id: ID!, $x: Strin) { publicWorkoutSession(id: $id) { id } }', variables: { id: 'hiit-20-core' } },
  ],
];

describe.each(TYPOS)('%s', (_what, body) => {
  it('is refused in prod with 400 invalid_request and no suggestion', async () => {
    const res = await ask('prod', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.text).not.toMatch(/Did you mean/i);
  });

  it('gets a suggestion in sandbox', async () => {
    const res = await ask('sandbox', body);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/Did you mean/);
  });
});
