/** Single use of private_key_jwt assertion jtis, against DynamoDB Local. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { AssertionReplayStore } from '../../lambdas/store/assertion-replay-store';
import { createTestTable, testClock, type TestTable } from '../support/test-table';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(() => table.close());

const storeAt = (clock: () => number) => new AssertionReplayStore(table.deps(clock).doc, table.env.TABLE_NAME, clock);

describe('AssertionReplayStore', () => {
  test('accepts a jti once, refuses it again while its record lives, and keeps clients apart', async () => {
    const clock = testClock();
    const store = storeAt(clock);
    const until = Math.floor(clock.now / 1000) + 120;
    expect(await store.claim('acme-app', 'jti-1', until)).toBe(true);
    expect(await store.claim('acme-app', 'jti-1', until)).toBe(false);
    // Another client's assertion may carry the same jti string.
    expect(await store.claim('other-app', 'jti-1', until)).toBe(true);
  });

  test('treats an expired record as absent before the TTL sweeper deletes it', async () => {
    const clock = testClock();
    const store = storeAt(clock);
    const until = Math.floor(clock.now / 1000) + 60;
    expect(await store.claim('acme-app', 'jti-late', until)).toBe(true);
    clock.advance(61_000);
    expect(await store.claim('acme-app', 'jti-late', until + 120)).toBe(true);
    expect(await store.claim('acme-app', 'jti-late', until + 120)).toBe(false);
  });

  test('stores a digest of client and jti with the TTL attribute, never the jti itself', async () => {
    const clock = testClock();
    const until = Math.floor(clock.now / 1000) + 90;
    await storeAt(clock).claim('acme-app', 'visible-jti', until);
    const pk = `ASSERTION#${createHash('sha256').update('acme-app\nvisible-jti').digest('base64url')}`;
    const out = await table.deps(clock).doc.send(new GetCommand({ TableName: table.env.TABLE_NAME, Key: { pk, sk: 'JTI' } }));
    expect(out.Item).toEqual({ pk, sk: 'JTI', type: 'assertion-jti', expiresAt: until });
    expect(JSON.stringify(out.Item)).not.toContain('visible-jti');
  });
});
