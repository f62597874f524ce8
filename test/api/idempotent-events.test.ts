/**
 * Idempotency-Key on POST /v1/events over HTTP through the local gateway on DynamoDB Local:
 * a repeat gets the first answer and no second event, another body with the same key is 409,
 * keys are per client and end user, and the 24 h window (with a fixed clock, on the store).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_WINDOW_SECONDS } from '../../lambdas/core/idempotency';
import { localClientConfig } from '../../local/embedded-store';
import { startTestGateway, type TestGateway } from '../support/local-gateway';
import { createTestTable, testClock, type TestTable } from '../support/test-table';

let gw: TestGateway;
let doc: DynamoDBDocumentClient;
let table: TestTable;
const tokens: Record<string, string> = {};

async function tokenFor(clientName: string, sub: string): Promise<string> {
  const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName, scopes: ['read', 'write'] });
  const secret = (created.body.clientSecret as string | undefined) ?? tokens[`secret:${clientName}`];
  if (!secret) throw new Error(`could not create ${clientName}: ${created.text}`);
  tokens[`secret:${clientName}`] = secret;
  const res = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName, clientSecret: secret, sub } });
  if (res.status !== 200) throw new Error(`authtoken failed: ${res.text}`);
  return res.body.token as string;
}

beforeAll(async () => {
  gw = await startTestGateway();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(process.env.DYNAMODB_ENDPOINT as string)));
  table = await createTestTable();
  tokens.ada = await tokenFor('idem-app', 'ada');
  tokens.bob = await tokenFor('idem-app', 'bob');
  tokens.other = await tokenFor('idem-other', 'ada');
});
afterAll(async () => {
  await Promise.all([gw.close(), table.close()]);
});

async function eventsOf(clientName: string, sub: string): Promise<Record<string, unknown>[]> {
  const out = await doc.send(
    new QueryCommand({
      TableName: gw.gateway.stages.sandbox.env.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `EVENTS#${clientName}#${sub}` },
    }),
  );
  return out.Items ?? [];
}

const post = (token: string, body: unknown, key?: string) =>
  gw.call('sandbox', 'POST', '/v1/events', { token, body, headers: key === undefined ? {} : { 'Idempotency-Key': key } });

describe('POST /v1/events with Idempotency-Key', () => {
  test('a repeat answers the first answer and records no second event', async () => {
    const key = randomUUID();
    const body = { type: 'session.completed', sessionId: 'hiit-20-core', data: { heartRateAvg: 141 } };
    const first = await post(tokens.ada as string, body, key);
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // Same JSON, other key order and spacing: still the same request.
    const again = await gw.call('sandbox', 'POST', '/v1/events', {
      token: tokens.ada,
      body: '{ "data": {"heartRateAvg":141}, "sessionId":"hiit-20-core", "type":"session.completed" }',
      headers: { 'Idempotency-Key': key, 'Content-Type': 'application/json' },
    });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const stored = (await eventsOf('idem-app', 'ada')).filter((e) => e.id === first.body.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ type: 'session.completed', sessionId: 'hiit-20-core' });
  });

  test('concurrent repeats record exactly one event', async () => {
    const key = `burst-${randomUUID()}`;
    const before = (await eventsOf('idem-app', 'bob')).length;
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(tokens.bob as string, { type: 'session.started' }, key)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(202));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect((await eventsOf('idem-app', 'bob')).length).toBe(before + 1);
  });

  test('the same key with another body is 409 conflict and records nothing', async () => {
    const key = randomUUID();
    await post(tokens.ada as string, { type: 'session.started' }, key);
    const before = (await eventsOf('idem-app', 'ada')).length;
    const res = await post(tokens.ada as string, { type: 'session.completed' }, key);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'conflict', error_description: 'Idempotency-Key was already used with a different request body' });
    expect((await eventsOf('idem-app', 'ada')).length).toBe(before);
  });

  test('a key is scoped to the client and the end user', async () => {
    const key = randomUUID();
    const a = await post(tokens.ada as string, { type: 'session.started' }, key);
    const b = await post(tokens.bob as string, { type: 'session.completed' }, key);
    const c = await post(tokens.other as string, { type: 'session.paused' }, key);
    expect([a.status, b.status, c.status]).toEqual([202, 202, 202]);
    expect(new Set([a.body.id, b.body.id, c.body.id]).size).toBe(3);
  });

  test('without a key every request is a new event', async () => {
    const a = await post(tokens.ada as string, { type: 'session.started' });
    const b = await post(tokens.ada as string, { type: 'session.started' });
    expect(a.body.id).not.toEqual(b.body.id);
  });

  test('accepts the structured-field quoted form of the key', async () => {
    const key = randomUUID();
    const plain = await post(tokens.ada as string, { type: 'session.started' }, key);
    const quoted = await post(tokens.ada as string, { type: 'session.started' }, `"${key}"`);
    expect(quoted.body.id).toEqual(plain.body.id);
  });

  test.each([
    ['empty', ''],
    ['a space', 'two words'],
    ['over 255', 'k'.repeat(256)],
    ['a #', 'a#b'],
  ])('refuses a key with %s: 400 invalid_request, nothing claimed', async (_what, key) => {
    const res = await post(tokens.ada as string, { type: 'session.started' }, key);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.error_description).toMatch(/Idempotency-Key/);
  });

  test('a malformed body claims nothing: the key still works for a good one', async () => {
    const key = randomUUID();
    expect((await post(tokens.ada as string, { type: 'Not A Type!' }, key)).status).toBe(400);
    expect((await post(tokens.ada as string, { type: 'session.started' }, key)).status).toBe(202);
  });
});

describe('the 24 h window (IdempotencyStore on DynamoDB Local, fixed clock)', () => {
  test('a repeat inside the window sees the claim; after it the key is claimed afresh even before TTL deletes it', async () => {
    const clock = testClock();
    const store = table.deps(clock).idempotency;
    const scope = { clientName: 'acme', sub: 'u1', key: 'k-window' };
    const first = await store.claim(scope, 'fp-1', { eventId: 'e1', receivedAtMs: clock.now });
    expect(first).toEqual({ kind: 'first', claim: { eventId: 'e1', receivedAtMs: clock.now } });
    clock.advance((IDEMPOTENCY_WINDOW_SECONDS - 1) * 1000);
    expect(await store.claim(scope, 'fp-1', { eventId: 'e2', receivedAtMs: clock.now })).toMatchObject({
      kind: 'repeat',
      claim: { eventId: 'e1' },
    });
    expect(await store.claim(scope, 'fp-2', { eventId: 'e3', receivedAtMs: clock.now })).toEqual({ kind: 'mismatch' });
    clock.advance(2000);
    const after = await store.claim(scope, 'fp-2', { eventId: 'e4', receivedAtMs: clock.now });
    expect(after).toMatchObject({ kind: 'first', claim: { eventId: 'e4' } });
  });
});
