/**
 * The /authtoken lock-out under concurrency: a burst of wrong secrets from one address gets
 * at most FAILURE_LIMIT answers that say "wrong" (401); every other attempt is 429, because
 * each failure is counted by a conditional write that refuses past the limit. A correct
 * secret inside the burst does not reset the count. Over HTTP against the local gateway on
 * DynamoDB Local, and the store on its own.
 */
import { FAILURE_LIMIT, TokenLockoutStore } from '../../lambdas/store/token-lockout-store';
import { createClient } from '../support/clients';
import { startTestGateway, type TestGateway } from '../support/local-gateway';
import { createTestTable, type TestTable } from '../support/test-table';

let gw: TestGateway;
let table: TestTable;
beforeAll(async () => {
  [gw, table] = await Promise.all([startTestGateway(), createTestTable()]);
}, 90_000);
afterAll(async () => {
  await Promise.all([gw.close(), table.close()]);
});

const authtoken = (clientName: string, clientSecret: string) =>
  gw.call('sandbox', 'POST', '/authtoken', { body: { clientName, clientSecret } });

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

it(`answers 40 concurrent wrong secrets from one address with at most ${FAILURE_LIMIT} × 401, the rest 429`, async () => {
  const secret = await createClient(gw, 'sandbox', 'burst-app');
  const statuses = (await Promise.all(Array.from({ length: 40 }, (_, i) => authtoken('burst-app', `guess-${i}`)))).map((r) => r.status);
  expect(count(statuses, 401)).toBe(FAILURE_LIMIT);
  expect(count(statuses, 429)).toBe(40 - FAILURE_LIMIT);
  // The key stays locked, the right secret included.
  expect((await authtoken('burst-app', secret)).status).toBe(429);
}, 60_000);

it('lets a correct secret inside a burst through without resetting the count', async () => {
  const secret = await createClient(gw, 'sandbox', 'burst-ok-app');
  // 20 wrong secrets with the right one in the middle, all at once.
  const attempts = Array.from({ length: 21 }, (_, i) => (i === 10 ? secret : `guess-${i}`));
  const answers = await Promise.all(attempts.map((s) => authtoken('burst-ok-app', s)));
  const wrong = answers.filter((_, i) => i !== 10).map((r) => r.status);
  expect(count(wrong, 401)).toBe(FAILURE_LIMIT);
  expect(count(wrong, 429)).toBe(20 - FAILURE_LIMIT);
  expect([200, 429]).toContain(answers[10]?.status);
  expect((await authtoken('burst-ok-app', 'after-the-burst')).status).toBe(429);
  expect((await authtoken('burst-ok-app', secret)).status).toBe(429);
}, 60_000);

it('keeps earlier failures after a success: the window ends, a success does not clear it', async () => {
  const secret = await createClient(gw, 'sandbox', 'typo-app');
  for (let i = 0; i < FAILURE_LIMIT - 1; i++) expect((await authtoken('typo-app', 'typo')).status).toBe(401);
  expect((await authtoken('typo-app', secret)).status).toBe(200);
  expect((await authtoken('typo-app', 'typo')).status).toBe(401);
  expect((await authtoken('typo-app', 'typo')).status).toBe(429);
});

describe('TokenLockoutStore on DynamoDB Local', () => {
  it(`counts exactly ${FAILURE_LIMIT} of 40 concurrent failures and refuses the rest`, async () => {
    const store = new TokenLockoutStore(table.deps().doc, table.env.TABLE_NAME);
    const results = await Promise.all(Array.from({ length: 40 }, () => store.recordFailure('name\n127.0.0.1')));
    expect(results.filter((r) => r.counted)).toHaveLength(FAILURE_LIMIT);
    for (const r of results.filter((x) => !x.counted)) expect(r.lockedFor).toBeGreaterThan(0);
    expect(await store.status('name\n127.0.0.1')).toMatchObject({ failures: FAILURE_LIMIT });
  });

  it('opens a new window once the old one ended (the TTL sweeper is not waited for)', async () => {
    let now = Date.UTC(2026, 10, 23, 12);
    const store = new TokenLockoutStore(table.deps().doc, table.env.TABLE_NAME, () => now);
    for (let i = 0; i < FAILURE_LIMIT; i++) expect((await store.recordFailure('window-key')).counted).toBe(true);
    expect((await store.recordFailure('window-key')).counted).toBe(false);
    now += 15 * 60 * 1000 + 1000;
    const again = await Promise.all(Array.from({ length: 10 }, () => store.recordFailure('window-key')));
    expect(again.filter((r) => r.counted)).toHaveLength(FAILURE_LIMIT);
  });
});
