/** Launch-token, deployment-secret and session stores against DynamoDB Local. */
import { issueLaunchToken } from '../../lambdas/core/launch-token';
import { generateSigningKey } from '../../lambdas/core/signing-key';
import { demoCatalogue } from '../../lambdas/core/demo-catalogue';
import { seedDemoCatalogue } from '../../lambdas/store/seed-catalogue';
import { createTestTable, testClock, type TestTable } from '../support/test-table';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.close();
});

async function issued(nowMs: number) {
  return issueLaunchToken(
    { clientName: 'acme', sub: 'u1', sessionId: 's1', payloadDigest: 'A'.repeat(43) },
    { id: 'device-12345678', key: Buffer.alloc(32, 7) },
    generateSigningKey().key,
    'workoutkit:test:sandbox',
    nowMs,
  );
}

describe('LaunchTokenStore', () => {
  test('reads a live record back and treats an expired one as absent before TTL deletes it', async () => {
    const clock = testClock();
    const deps = table.deps(clock);
    const { claims } = await issued(clock.now);
    await deps.launchTokens.put(claims, 'kid-1');
    expect(await deps.launchTokens.getLive(claims.jti)).toMatchObject({ sessionId: 's1', deviceHash: claims.dev, expiresAt: claims.exp });
    clock.advance(24 * 3600 * 1000);
    expect(await deps.launchTokens.getLive(claims.jti)).toBeUndefined();
  });
});

describe('DeploymentSecretStore', () => {
  test('creates the device-hash key once: concurrent first calls and fresh containers agree', async () => {
    const [a, b] = await Promise.all([
      table.deps().deploymentSecrets.get('device-hash'),
      table.deps().deploymentSecrets.get('device-hash'),
    ]);
    expect(a.length).toBe(32);
    expect(b.equals(a)).toBe(true);
    expect((await table.deps().deploymentSecrets.get('device-hash')).equals(a)).toBe(true);
  });
});

describe('seedDemoCatalogue', () => {
  test('writes the demo sessions once and never overwrites an operator edit', async () => {
    const deps = table.deps();
    const first = await seedDemoCatalogue(deps.doc, table.env.TABLE_NAME);
    expect(first.seeded.sort()).toEqual(
      demoCatalogue()
        .map((s) => s.id)
        .sort(),
    );
    const edited = { ...demoCatalogue()[0]!, title: 'Edited by the operator' };
    await deps.workoutSessions.put(edited);
    expect((await seedDemoCatalogue(deps.doc, table.env.TABLE_NAME)).seeded).toEqual([]);
    expect((await deps.workoutSessions.get(edited.id))?.session.title).toBe('Edited by the operator');
  });
});
