/**
 * A fresh deployment table on the test DynamoDB (DynamoDB Local from globalSetup), created
 * by the same code the local gateway uses, and Deps built on it with a controllable clock.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedStore, type EmbeddedStore } from '../../local/embedded-store';
import { buildDeps, type Deps } from '../../lambdas/runtime/deps';
import type { RuntimeEnv } from '../../lambdas/runtime/env';
import type { StageName } from '../../lambdas/gateway/settings';

export interface TestClock {
  now: number;
  (): number;
  advance(ms: number): void;
}

export function testClock(start = Date.UTC(2026, 10, 23, 12)): TestClock {
  const clock = (() => clock.now) as TestClock;
  clock.now = start;
  clock.advance = (ms) => {
    clock.now += ms;
  };
  return clock;
}

export interface TestTable {
  store: EmbeddedStore;
  env: RuntimeEnv;
  deps(clock?: () => number): Deps;
  close(): Promise<void>;
}

export async function createTestTable(stage: StageName = 'sandbox', tenant = 'test'): Promise<TestTable> {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: run through jest (globalSetup)');
  const dir = mkdtempSync(path.join(tmpdir(), 'wk-table-'));
  const keyFile = path.join(dir, 'keyring.key');
  writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
  const store = await startEmbeddedStore({ endpoint, dataDir: dir, tenant, stages: [stage], tablePrefix: `t${randomUUID().slice(0, 8)}` });
  const env: RuntimeEnv = {
    TENANT: tenant,
    STAGE: stage,
    TABLE_NAME: store.tableNames[stage],
    KEYRING: 'local',
    LOCAL_KEY_FILE: keyFile,
    DYNAMODB_ENDPOINT: endpoint,
    AUTHORIZER_CACHE_TTL: '60',
    LOCAL_MODE: '1',
    // A local stage's shape (local/gateway.ts); no server listens there in store tests.
    ISSUER: `http://127.0.0.1:3000/${stage}`,
  };
  return { store, env, deps: (clock) => buildDeps(env, clock ? { clock } : {}), close: () => store.close() };
}
