/**
 * On DynamoDB Local: the verifier's client directory reads a client once per cache period
 * even when many requests miss at once (no GetItem herd on expiry), answers warm hits from
 * memory, and a client invalidated while a read is in flight is not refilled by that read.
 */
import { CachedClientDirectory, CLIENT_CACHE_MS } from '../../lambdas/store/client-directory';
import type { ClientStore } from '../../lambdas/store/client-store';
import type { Deps } from '../../lambdas/runtime/deps';
import { createTestTable, testClock, type TestTable } from '../support/test-table';

let table: TestTable;
let deps: Deps;
const clock = testClock(Date.now());

beforeAll(async () => {
  table = await createTestTable();
  deps = table.deps(clock);
  await deps.clients.create({ clientName: 'herd-client', requiredClaims: [], scopes: ['workouts:read'] }, new Date(clock()));
});
afterAll(() => table.close());

/** The real store, counting its reads: what the directory sends to the table. */
function countingStore(): { store: ClientStore; reads: () => number } {
  let reads = 0;
  const store = Object.create(deps.clients) as ClientStore;
  store.get = (name, consistent) => {
    reads += 1;
    return deps.clients.get(name, consistent);
  };
  return { store, reads: () => reads };
}

describe('CachedClientDirectory', () => {
  it('sends one read for 50 concurrent lookups of a client, and none while the entry is fresh', async () => {
    const { store, reads } = countingStore();
    const directory = new CachedClientDirectory(store, clock);
    const views = await Promise.all(Array.from({ length: 50 }, () => directory.get('herd-client')));
    expect(reads()).toBe(1);
    expect(new Set(views).size).toBe(1);
    expect(views[0]?.scopes).toEqual(['workouts:read']);

    clock.advance(CLIENT_CACHE_MS - 1);
    await directory.get('herd-client');
    await directory.keysFor(views[0]!, undefined);
    expect(reads()).toBe(1);

    clock.advance(1);
    await Promise.all(Array.from({ length: 50 }, () => directory.get('herd-client')));
    expect(reads()).toBe(2);
  });

  it('does not cache the result of a read that was in flight when the client was invalidated', async () => {
    const { store, reads } = countingStore();
    const directory = new CachedClientDirectory(store, clock);
    const before = directory.get('herd-client');
    directory.invalidate('herd-client');
    await before;
    await directory.get('herd-client');
    expect(reads()).toBe(2);
    await directory.get('herd-client');
    expect(reads()).toBe(2);
  });

  it('lets the next lookup retry after a failed read', async () => {
    let fail = true;
    const store = Object.create(deps.clients) as ClientStore;
    store.get = (name, consistent) => (fail ? Promise.reject(new Error('store down')) : deps.clients.get(name, consistent));
    const directory = new CachedClientDirectory(store, clock);
    await expect(directory.get('herd-client')).rejects.toThrow('store down');
    fail = false;
    expect((await directory.get('herd-client'))?.clientName).toBe('herd-client');
  });
});
