/**
 * The WorkoutKitToken end to end, over HTTP through the local gateway on DynamoDB Local:
 * REST and GraphQL issuance, SDK launch (genuine and every refusal reason), the GraphQL
 * limits checked before any token is issued, events and the operator's session upsert.
 */
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { buildDeps } from '../../lambdas/runtime/deps';
import { createSession } from '../../lambdas/session/handler';
import type { StageName } from '../../lambdas/gateway/settings';
import { graphqlPayload } from '../../lambdas/core/graphql/projection';
import { payloadDigest } from '../../lambdas/core/payload-digest';
import { localClientConfig } from '../../local/embedded-store';
import { startTestGateway, type CallResult, type TestGateway } from '../support/local-gateway';

const DEVICE = 'device-4f7c2a9e-1b3d-4c5e-8f60-1a2b3c4d5e6f';
const OTHER_DEVICE = 'device-0000aaaa-bbbb-cccc-dddd-eeeeffff0000';

/** The session function's clock (it issues and checks launch tokens): a test moves it past a token's day. */
let launchClockOffsetMs = 0;

let gw: TestGateway;
let otherTenant: TestGateway;
let doc: DynamoDBDocumentClient;
const tokens: Record<string, string> = {};

async function accessToken(g: TestGateway, stage: StageName, clientName: string, sub?: string): Promise<string> {
  const created = await g.admin(stage, 'POST', '/admin/clients', { clientName, scopes: ['read', 'write'] });
  let secret = created.body.clientSecret as string | undefined;
  if (created.status === 409) secret = tokens[`secret:${stage}:${clientName}`];
  if (!secret) throw new Error(`could not create ${clientName}: ${created.text}`);
  tokens[`secret:${stage}:${clientName}`] = secret;
  const res = await g.call(stage, 'POST', '/authtoken', { body: { clientName, clientSecret: secret, ...(sub ? { sub } : {}) } });
  if (res.status !== 200) throw new Error(`authtoken failed: ${res.text}`);
  return res.body.token as string;
}

const QUERY = `query Session($id: ID!) {
  publicWorkoutSession(id: $id) {
    __typename id type title durationSeconds
    coach { name }
    ... on WorkoutBlockSession { blocks { title exercises { name reps durationSeconds } } }
    workoutKitToken
  }
}`;

function graphql(stage: StageName, body: unknown, opts: { token?: string; device?: string } = {}): Promise<CallResult> {
  return gw.call(stage, 'POST', '/graphql', {
    body,
    token: opts.token ?? tokens.user,
    headers: opts.device === undefined ? {} : { 'X-WorkoutKit-Device': opts.device },
  });
}

function launch(stage: StageName, body: Record<string, unknown>, g: TestGateway = gw): Promise<CallResult> {
  return g.call(stage, 'POST', '/v1/sdk/launch', { body });
}

async function scanAll(tableName: string): Promise<Record<string, unknown>[]> {
  const out = await doc.send(new ScanCommand({ TableName: tableName }));
  return (out.Items ?? []) as Record<string, unknown>[];
}

async function launchItemCount(stage: StageName = 'sandbox'): Promise<number> {
  return (await scanAll(gw.gateway.stages[stage].env.TABLE_NAME)).filter((i) => String(i.pk).startsWith('LAUNCH#')).length;
}

beforeAll(async () => {
  gw = await startTestGateway({
    functions: {
      session: { createHandler: (env) => createSession(buildDeps(env, { clock: () => Date.now() + launchClockOffsetMs })) },
    },
  });
  otherTenant = await startTestGateway({ tenant: 'othertenant' });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(gw.gateway.store.endpoint)));
  tokens.user = await accessToken(gw, 'sandbox', 'acme', 'user-1');
  tokens.noSub = await accessToken(gw, 'sandbox', 'acme');
  tokens.prodUser = await accessToken(gw, 'prod', 'acme', 'user-1');
  tokens.otherTenantUser = await accessToken(otherTenant, 'sandbox', 'acme', 'user-1');
  tokens.readOnly = await (async () => {
    const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'reader', scopes: ['read'] });
    const res = await gw.call('sandbox', 'POST', '/authtoken', {
      body: { clientName: 'reader', clientSecret: created.body.clientSecret, sub: 'u' },
    });
    return res.body.token as string;
  })();
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await otherTenant?.close();
  doc?.destroy();
});

afterEach(() => {
  launchClockOffsetMs = 0;
});

describe('REST GET /v1/{clientName}/sessions/{sessionId}', () => {
  test('serves a seeded demo session without a token when no device header is sent', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/acme/sessions/hiit-20-core', { token: tokens.user });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'hiit-20-core', type: 'block', title: 'HIIT 20: Core Burner' });
    expect(res.headers.get('x-workoutkit-token')).toBeNull();
  });

  test('answers 403 insufficient_permissions for another clientName, the same whether it exists or not', async () => {
    await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'globex' });
    const existing = await gw.call('sandbox', 'GET', '/v1/globex/sessions/hiit-20-core', { token: tokens.user });
    const absent = await gw.call('sandbox', 'GET', '/v1/nosuchclient/sessions/hiit-20-core', { token: tokens.user });
    expect(existing.status).toBe(403);
    expect(existing.body.error).toBe('insufficient_permissions');
    expect(absent.status).toBe(403);
    expect(absent.text).toBe(existing.text);
  });

  test('answers 404 not_found for an unknown session', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/acme/sessions/no-such-session', { token: tokens.user });
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });

  test('refuses a device header on a token without sub with missing_required_claim', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/acme/sessions/hiit-20-core', {
      token: tokens.noSub,
      headers: { 'X-WorkoutKit-Device': DEVICE },
    });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('missing_required_claim');
  });

  test('issues a token with a device header that launches for the served payload, and again within the day', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/acme/sessions/morning-run-30', {
      token: tokens.user,
      headers: { 'X-WorkoutKit-Device': DEVICE },
    });
    expect(res.status).toBe(200);
    const token = res.headers.get('x-workoutkit-token');
    expect(token).toEqual(expect.any(String));
    const body = { token, deviceId: DEVICE, sessionId: 'morning-run-30', payloadDigest: payloadDigest(res.json) };
    const first = await launch('sandbox', body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ valid: true, expiresAt: expect.any(String) });
    const again = await launch('sandbox', body);
    expect(again.status).toBe(200);
  });
});

describe('GraphQL POST /graphql and POST /v1/sdk/launch', () => {
  let data: Record<string, unknown>;
  let token: string;
  let genuine: Record<string, unknown>;

  beforeAll(async () => {
    const res = await graphql('sandbox', { query: QUERY, variables: { id: 'hiit-20-core' } }, { device: DEVICE });
    expect(res.status).toBe(200);
    data = (res.body.data as Record<string, Record<string, unknown>>).publicWorkoutSession as Record<string, unknown>;
    token = data.workoutKitToken as string;
    const ext = res.body.extensions as { workoutkit: { token: string } };
    expect(ext.workoutkit.token).toBe(token);
    expect(res.headers.get('x-workoutkit-token')).toBe(token);
    genuine = { token, deviceId: DEVICE, sessionId: 'hiit-20-core', payloadDigest: payloadDigest(graphqlPayload(data)) };
  });

  test('the field, extensions.workoutkit.token and the X-WorkoutKit-Token header carry the same token', () => {
    expect(token.split('.')).toHaveLength(3);
    expect(data.__typename).toBe('WorkoutBlockSession');
  });

  test('launches for the genuine device, session and payload', async () => {
    const res = await launch('sandbox', genuine);
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(true);
  });

  test.each([
    ['another device', { deviceId: OTHER_DEVICE }, 'other_device'],
    ['another session', { sessionId: 'yoga-flow-15' }, 'other_session'],
    ['a modified payload', 'modified', 'modified_payload'],
  ])('refuses %s with launch_token_invalid and the reason', async (_name, change, reason) => {
    const body =
      change === 'modified'
        ? { ...genuine, payloadDigest: payloadDigest({ ...(graphqlPayload(data) as object), title: 'HIIT 20: Free Premium' }) }
        : { ...genuine, ...(change as object) };
    const res = await launch('sandbox', body);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('launch_token_invalid');
    expect(String(res.body.error_description)).toMatch(new RegExp(`^${reason}:`));
  });

  test('refuses an expired token (the launch clock one day later)', async () => {
    launchClockOffsetMs = 24 * 3600 * 1000 + 1000;
    const res = await launch('sandbox', genuine);
    expect(res.status).toBe(401);
    expect(String(res.body.error_description)).toMatch(/^expired:/);
  });

  test('refuses a token with a tampered signature', async () => {
    const [h, p, s] = token.split('.') as [string, string, string];
    const sig = Buffer.from(s, 'base64url');
    sig[10] = (sig[10] as number) ^ 0x01;
    const res = await launch('sandbox', { ...genuine, token: `${h}.${p}.${sig.toString('base64url')}` });
    expect(res.status).toBe(401);
    expect(String(res.body.error_description)).toMatch(/^bad_signature:/);
  });

  test('refuses a token issued by another stage of the same tenant', async () => {
    const prod = await gw.call('prod', 'POST', '/graphql', {
      body: { query: QUERY, variables: { id: 'hiit-20-core' } },
      token: tokens.prodUser,
      headers: { 'X-WorkoutKit-Device': DEVICE },
    });
    expect(prod.status).toBe(200);
    const prodToken = prod.headers.get('x-workoutkit-token') as string;
    const res = await launch('sandbox', { ...genuine, token: prodToken });
    expect(res.status).toBe(401);
    expect(String(res.body.error_description)).toMatch(/^unknown_key:.*another stage or tenant/);
  });

  test('refuses a token issued by another tenant', async () => {
    const other = await otherTenant.call('sandbox', 'GET', '/v1/acme/sessions/hiit-20-core', {
      token: tokens.otherTenantUser,
      headers: { 'X-WorkoutKit-Device': DEVICE },
    });
    expect(other.status).toBe(200);
    const res = await launch('sandbox', {
      ...genuine,
      token: other.headers.get('x-workoutkit-token'),
      payloadDigest: payloadDigest(other.json),
    });
    expect(res.status).toBe(401);
    expect(String(res.body.error_description)).toMatch(/^unknown_key:/);
  });

  test('refuses a token whose jti the operator revoked', async () => {
    const res = await graphql('sandbox', { query: QUERY, variables: { id: 'yoga-flow-15' } }, { device: DEVICE });
    const session = (res.body.data as Record<string, Record<string, unknown>>).publicWorkoutSession as Record<string, unknown>;
    const t = session.workoutKitToken as string;
    const jti = JSON.parse(Buffer.from(t.split('.')[1] as string, 'base64url').toString()).jti as string;
    expect((await gw.admin('sandbox', 'POST', '/admin/revocations', { jti })).status).toBe(201);
    const launched = await launch('sandbox', {
      token: t,
      deviceId: DEVICE,
      sessionId: 'yoga-flow-15',
      payloadDigest: payloadDigest(graphqlPayload(session)),
    });
    expect(launched.status).toBe(401);
    expect(String(launched.body.error_description)).toMatch(/^revoked:/);
  });

  test('a launch token is not a bearer token', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
  });

  test('the raw device id is stored nowhere in the table', async () => {
    const items = await scanAll(gw.gateway.stages.sandbox.env.TABLE_NAME);
    expect(items.some((i) => String(i.pk).startsWith('LAUNCH#'))).toBe(true);
    expect(JSON.stringify(items)).not.toContain(DEVICE);
  });
});

describe('GraphQL refusals', () => {
  test('refuses a request without X-WorkoutKit-Device (400 device_required, GraphQL format) while REST serves the payload alone', async () => {
    const res = await graphql('sandbox', { query: QUERY, variables: { id: 'hiit-20-core' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'device_required',
      error_description: expect.any(String),
      errors: [{ message: expect.any(String), extensions: { code: 'device_required' } }],
    });
    const rest = await gw.call('sandbox', 'GET', '/v1/acme/sessions/hiit-20-core', { token: tokens.user });
    expect(rest.status).toBe(200);
    expect(rest.headers.get('x-workoutkit-token')).toBeNull();
  });

  test('refuses a token without sub with missing_required_claim in GraphQL format', async () => {
    const res = await graphql('sandbox', { query: QUERY, variables: { id: 'hiit-20-core' } }, { token: tokens.noSub, device: DEVICE });
    expect(res.status).toBe(401);
    expect((res.body.errors as { extensions: { code: string } }[])[0]?.extensions.code).toBe('missing_required_claim');
  });

  test('answers 404 not_found for an unknown session, without issuing a token', async () => {
    const before = await launchItemCount();
    const res = await graphql('sandbox', { query: QUERY, variables: { id: 'nope' } }, { device: DEVICE });
    expect(res.status).toBe(404);
    expect((res.body.errors as { extensions: { code: string } }[])[0]?.extensions.code).toBe('not_found');
    expect(res.headers.get('x-workoutkit-token')).toBeNull();
    expect(await launchItemCount()).toBe(before);
  });

  test('refuses 100 aliases of publicWorkoutSession before any token is issued', async () => {
    const before = await launchItemCount();
    const aliases = Array.from({ length: 100 }, (_, i) => `s${i}: publicWorkoutSession(id: "hiit-20-core") { id workoutKitToken }`).join(
      '\n',
    );
    const res = await graphql('sandbox', { query: `{ ${aliases} }` }, { device: DEVICE });
    expect(res.status).toBe(400);
    expect((res.body.errors as { extensions: { code: string } }[])[0]?.extensions.code).toBe('invalid_request');
    expect(await launchItemCount()).toBe(before);
  });

  test('refuses fragments nested past the depth limit before any token is issued', async () => {
    const before = await launchItemCount();
    const chain = Array.from({ length: 12 }, (_, i) =>
      i < 11 ? `fragment F${i} on WorkoutSession { id ...F${i + 1} }` : `fragment F${i} on WorkoutSession { id workoutKitToken }`,
    ).join('\n');
    const res = await graphql('sandbox', { query: `{ publicWorkoutSession(id: "hiit-20-core") { ...F0 } }\n${chain}` }, { device: DEVICE });
    expect(res.status).toBe(400);
    const err = (res.body.errors as { message: string; extensions: { code: string } }[])[0];
    expect(err?.extensions.code).toBe('invalid_request');
    expect(err?.message).toMatch(/depth/);
    expect(await launchItemCount()).toBe(before);
  });

  test('introspection answers in sandbox and is refused in prod', async () => {
    const q = { query: '{ __schema { queryType { name } } }' };
    const sandbox = await graphql('sandbox', q, { device: DEVICE });
    expect(sandbox.status).toBe(200);
    const prod = await gw.call('prod', 'POST', '/graphql', { body: q, token: tokens.prodUser, headers: { 'X-WorkoutKit-Device': DEVICE } });
    expect(prod.status).toBe(400);
    expect((prod.body.errors as { extensions: { code: string } }[])[0]?.extensions.code).toBe('invalid_request');
  });

  test('a syntax error is 400 invalid_request in GraphQL format', async () => {
    const res = await graphql('sandbox', { query: '{ publicWorkoutSession(id: ' }, { device: DEVICE });
    expect(res.status).toBe(400);
    expect((res.body.errors as { extensions: { code: string } }[])[0]?.extensions.code).toBe('invalid_request');
  });
});

describe('POST /v1/events', () => {
  test('records an event for the caller and answers 202 with its id', async () => {
    const res = await gw.call('sandbox', 'POST', '/v1/events', {
      token: tokens.user,
      body: { type: 'session.completed', sessionId: 'hiit-20-core', data: { heartRateAvg: 141 } },
    });
    expect(res.status).toBe(202);
    expect(res.body.id).toEqual(expect.any(String));
    const items = await scanAll(gw.gateway.stages.sandbox.env.TABLE_NAME);
    const stored = items.find((i) => i.pk === 'EVENTS#acme#user-1' && i.id === res.body.id);
    expect(stored).toMatchObject({ type: 'session.completed', sessionId: 'hiit-20-core', data: { heartRateAvg: 141 } });
  });

  test('needs scope write (403) and refuses a malformed body (400)', async () => {
    const noScope = await gw.call('sandbox', 'POST', '/v1/events', { token: tokens.readOnly, body: { type: 'x' } });
    expect(noScope.status).toBe(403);
    expect(noScope.body.error).toBe('insufficient_permissions');
    const bad = await gw.call('sandbox', 'POST', '/v1/events', { token: tokens.user, body: { type: 'Not A Type!' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
  });
});

describe('PUT /admin/sessions/{sessionId}', () => {
  test('upserts a session that the API then serves, and refuses invalid content', async () => {
    const body = {
      type: 'audio',
      title: 'Evening Walk',
      durationSeconds: 1200,
      level: 'beginner',
      coach: { name: 'Sam Rivera' },
      audioUrl: 'https://media.example.com/walk.m4a',
    };
    const put = await gw.admin('sandbox', 'PUT', '/admin/sessions/evening-walk', body);
    expect(put.status).toBe(200);
    const got = await gw.call('sandbox', 'GET', '/v1/acme/sessions/evening-walk', { token: tokens.user });
    expect(got.body).toMatchObject({ id: 'evening-walk', type: 'audio', description: null, transcriptUrl: null });
    const bad = await gw.admin('sandbox', 'PUT', '/admin/sessions/evening-walk', {
      ...body,
      audioUrl: 'http://insecure.example.com/a.m4a',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
    const noKey = await gw.call('sandbox', 'PUT', '/admin/sessions/evening-walk', { body });
    expect(noKey.status).toBe(401);
  });
});
