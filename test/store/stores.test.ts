import { ClientStore } from '../../lambdas/store/client-store';
import { FAILURE_LIMIT } from '../../lambdas/store/token-lockout-store';
import { localKeyring } from '../../lambdas/store/keyring';
import { createTestTable, testClock, type TestTable } from '../support/test-table';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.close();
});

describe('ClientStore on DynamoDB Local', () => {
  it('creates a client with a sealed secret that opens to the returned one', async () => {
    const deps = table.deps();
    const { clientSecret, record } = await deps.clients.create({ clientName: 'store-a', requiredClaims: [], scopes: ['read'] }, new Date());
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await deps.clients.get('store-a', true);
    expect(stored).toMatchObject({ clientName: 'store-a', scopes: ['read'], version: 1 });
    expect(JSON.stringify(stored)).not.toContain(clientSecret);
    const opened = await deps.clients.openSecrets(record, Math.floor(Date.now() / 1000));
    expect(opened.map((b) => b.toString())).toEqual([clientSecret]);
  });

  it('refuses a second client with the same name (conflict)', async () => {
    const deps = table.deps();
    await deps.clients.create({ clientName: 'store-b', requiredClaims: [] }, new Date());
    await expect(deps.clients.create({ clientName: 'store-b', requiredClaims: [] }, new Date())).rejects.toMatchObject({
      code: 'conflict',
      status: 409,
    });
  });

  it('replaces a record only from the version it read (optimistic locking)', async () => {
    const deps = table.deps();
    const { record } = await deps.clients.create({ clientName: 'store-c', requiredClaims: [] }, new Date());
    const a = { ...record, audience: 'first' };
    const b = { ...record, audience: 'second' };
    expect(await deps.clients.replace(a, 1)).toBe(true);
    expect(await deps.clients.replace(b, 1)).toBe(false);
    expect(await deps.clients.get('store-c', true)).toMatchObject({ audience: 'first', version: 2 });
  });

  it('does not open a secret sealed for another client (encryption context bound)', async () => {
    const deps = table.deps();
    const { record } = await deps.clients.create({ clientName: 'store-d', requiredClaims: [] }, new Date());
    const moved = { ...record, clientName: 'store-e' };
    await expect(deps.clients.openSecrets(moved, 0)).rejects.toThrow();
  });

  it('does not open secrets with another deployment key file', async () => {
    const deps = table.deps();
    const { record } = await deps.clients.create({ clientName: 'store-f', requiredClaims: [] }, new Date());
    const other = await createTestTable();
    try {
      const foreign = new ClientStore(deps.doc, table.env.TABLE_NAME, localKeyring(other.env.LOCAL_KEY_FILE as string));
      await expect(foreign.openSecrets(record, 0)).rejects.toThrow();
    } finally {
      await other.close();
    }
  });
});

describe('SigningKeyStore on DynamoDB Local', () => {
  it('creates exactly one first key under concurrent first calls', async () => {
    const fresh = await createTestTable();
    try {
      const stores = [fresh.deps(), fresh.deps(), fresh.deps()].map((d) => d.signingKeys);
      const keys = await Promise.all(stores.map((s) => s.current()));
      expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
      expect(await fresh.deps().signingKeys.list(true)).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it('publishes a key before it signs, and keeps signing with the old one until then', async () => {
    const clock = testClock();
    const deps = table.deps(clock);
    const first = await deps.signingKeys.current();
    const next = await deps.signingKeys.add(Math.floor(clock.now / 1000) + 600);
    expect((await deps.signingKeys.published()).map((k) => k.kid)).toEqual(expect.arrayContaining([first.kid, next.kid]));
    expect((await deps.signingKeys.current()).kid).toBe(first.kid);
    clock.advance(601_000);
    expect((await table.deps(clock).signingKeys.current()).kid).toBe(next.kid);
  });
});

describe('TokenLockoutStore on DynamoDB Local', () => {
  it('locks a name after the failure limit, for the rest of the window only', async () => {
    const clock = testClock();
    const { tokenLockout } = table.deps(clock);
    for (let i = 0; i < FAILURE_LIMIT; i++) await tokenLockout.recordFailure('locked-name');
    const locked = await tokenLockout.status('locked-name');
    expect(locked.lockedFor).toBeGreaterThan(0);
    clock.advance((locked.lockedFor + 1) * 1000);
    expect(await tokenLockout.status('locked-name')).toEqual({ failures: 0, lockedFor: 0 });
  });
});
