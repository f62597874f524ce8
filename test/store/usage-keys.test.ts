/**
 * On DynamoDB Local: the authorizer returns the client's API key as usageIdentifierKey on an
 * Allow only, the key's lookup item finds the client, and the quota monitor reads every
 * client's usage through the (local) usage backend.
 */
import { createAuthorizer } from '../../lambdas/authorizer/handler';
import { createQuotaMonitor } from '../../lambdas/quota-monitor/handler';
import type { GatewayMetrics } from '../../lambdas/runtime/metrics';
import { currentPeriod, TableUsageBackend } from '../../lambdas/store/usage-backend';
import { newApiKey } from '../../lambdas/store/api-key-store';
import type { Deps } from '../../lambdas/runtime/deps';
import { signHs256 } from '../support/keys';
import { createTestTable, testClock, type TestTable } from '../support/test-table';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';

let table: TestTable;
let deps: Deps;
const clock = testClock(Date.now());
const recorded: { kind: string; args: unknown[] }[] = [];
const metrics: GatewayMetrics = {
  authorization: (...args) => recorded.push({ kind: 'authorization', args }),
  tokenIssued: () => undefined,
  launchTokenIssued: () => undefined,
  launchRefused: () => undefined,
  quota: (...args) => recorded.push({ kind: 'quota', args }),
  maxQuotaUtilization: (...args) => recorded.push({ kind: 'max', args }),
  flush: () => recorded.push({ kind: 'flush', args: [] }),
};

beforeAll(async () => {
  table = await createTestTable();
  deps = { ...table.deps(clock), metrics };
});
afterAll(() => table.close());

async function clientWithKey(clientName: string): Promise<{ secret: string; apiKey: string }> {
  const { clientSecret } = await deps.clients.create({ clientName, requiredClaims: [], quota: { limit: 10, period: 'DAY' } }, new Date(clock()));
  const apiKey = newApiKey();
  await deps.apiKeys.attach(clientName, await deps.apiKeys.seal(clientName, apiKey, new Date(clock())));
  return { secret: clientSecret, apiKey };
}

const event = (token: string): APIGatewayRequestAuthorizerEvent =>
  ({ type: 'REQUEST', methodArn: 'arn:aws:execute-api:eu-west-1:1:api/sandbox/GET/v1/auth/verify', headers: { Authorization: `Bearer ${token}` } }) as unknown as APIGatewayRequestAuthorizerEvent;

describe('API keys and the authorizer', () => {
  it('returns the API key as usageIdentifierKey on an Allow and never on a Deny', async () => {
    const { secret, apiKey } = await clientWithKey('keyed-client');
    const authorize = createAuthorizer(deps);
    const allow = await authorize(event(signHs256(secret, { clientName: 'keyed-client' })));
    expect(allow.policyDocument.Statement[0]?.Effect).toBe('Allow');
    expect(allow.usageIdentifierKey).toBe(apiKey);

    const deny = await authorize(event(signHs256(`${secret}!`, { clientName: 'keyed-client' })));
    expect(deny.policyDocument.Statement[0]?.Effect).toBe('Deny');
    expect(deny.usageIdentifierKey).toBeUndefined();
    expect(JSON.stringify(deny)).not.toContain(apiKey);

    const outcomes = recorded.filter((r) => r.kind === 'authorization').map((r) => r.args[0]);
    expect(outcomes).toEqual([
      expect.objectContaining({ allowed: true, reason: 'ok', tokenKind: 'client-hs256' }),
      expect.objectContaining({ allowed: false, reason: 'invalid_signature' }),
    ]);
  });

  it('finds the client of a presented key by its digest, and nothing for an unknown key', async () => {
    const { apiKey } = await clientWithKey('lookup-client');
    expect(await deps.apiKeys.clientFor(apiKey)).toBe('lookup-client');
    expect(await deps.apiKeys.clientFor(newApiKey())).toBeUndefined();
  });

  it('refuses a second key for the same client', async () => {
    await clientWithKey('one-key');
    await expect(deps.apiKeys.attach('one-key', await deps.apiKeys.seal('one-key', newApiKey(), new Date()))).rejects.toThrow();
  });
});

describe('quota monitor', () => {
  it("publishes every client's used, limit and remaining, and the highest utilization", async () => {
    await clientWithKey('monitored');
    const quota = { limit: 10, period: 'DAY', rateLimit: 50, burstLimit: 100 } as const;
    const { startDay, endMs } = currentPeriod(quota, clock());
    for (let i = 0; i < 9; i++) await deps.usageCounters.consume('monitored', startDay, 10, endMs);
    recorded.length = 0;

    const sweep = await createQuotaMonitor(deps, new TableUsageBackend(deps.usageCounters))();
    expect(sweep).toMatchObject({ failed: 0, maxUtilization: 90 });
    expect(sweep.clients).toBeGreaterThanOrEqual(4);
    const monitored = recorded.find((r) => r.kind === 'quota' && r.args[0] === 'monitored');
    expect(monitored?.args[1]).toMatchObject({ used: 9, limit: 10, remaining: 1, period: 'DAY' });
    expect(recorded.filter((r) => r.kind === 'max')).toEqual([{ kind: 'max', args: [90] }]);
  });
});
