/**
 * On DynamoDB Local: the authorizer returns the client's API key as usageIdentifierKey on an
 * Allow only, the key's lookup item finds the client, and the quota monitor reads every
 * client's use from the counters (a Query over the client index, no scan) and says when it could not.
 */
import { createAuthorizer } from '../../lambdas/authorizer/handler';
import { createQuotaMonitor } from '../../lambdas/quota-monitor/handler';
import type { GatewayMetrics } from '../../lambdas/runtime/metrics';
import { documentClient } from '../../lambdas/store/dynamo';
import { UsageCounterStore } from '../../lambdas/store/usage-counter-store';
import { newApiKey } from '../../lambdas/store/api-key-store';
import { createClient } from '../../lambdas/admin/clients';
import { localKeyProvisioner, type ApiKeyProvisioner } from '../../lambdas/store/api-key-provisioner';
import type { ApiRequest } from '../../lambdas/runtime/http';
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
  deploymentQuota: (...args) => recorded.push({ kind: 'deployment', args }),
  quotaMonitorRun: (...args) => recorded.push({ kind: 'run', args }),
  flush: () => recorded.push({ kind: 'flush', args: [] }),
};

beforeAll(async () => {
  table = await createTestTable();
  deps = { ...table.deps(clock), metrics };
});
afterAll(() => table.close());

async function clientWithKey(clientName: string): Promise<{ secret: string; apiKey: string }> {
  const { clientSecret } = await deps.clients.create(
    { clientName, requiredClaims: [], quota: { limit: 10, period: 'DAY' } },
    new Date(clock()),
  );
  const apiKey = newApiKey();
  await deps.apiKeys.attach(clientName, await deps.apiKeys.seal(clientName, apiKey, new Date(clock())));
  return { secret: clientSecret, apiKey };
}

const event = (token: string): APIGatewayRequestAuthorizerEvent =>
  ({
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:1:api/sandbox/GET/v1/auth/verify',
    headers: { Authorization: `Bearer ${token}` },
  }) as unknown as APIGatewayRequestAuthorizerEvent;

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

describe('client creation', () => {
  const request = (clientName: string) => ({ params: {}, json: () => ({ clientName }) }) as unknown as ApiRequest;

  it('leaves no profile behind when registering the API key fails, so a retry succeeds', async () => {
    const failing: ApiKeyProvisioner = {
      ...localKeyProvisioner,
      create: () => Promise.reject(new Error('CreateApiKey failed')),
    };
    await expect(createClient(deps, () => failing)(request('half-made'))).rejects.toThrow('CreateApiKey failed');
    expect(await deps.clients.get('half-made', true)).toBeUndefined();

    const retried = await createClient(deps, () => localKeyProvisioner)(request('half-made'));
    expect(retried.status).toBe(201);
    expect((await deps.clients.get('half-made', true))?.apiKey).toBeDefined();
  });
});

describe('quota monitor', () => {
  it("publishes every client's used, limit, remaining and utilisation, the highest one, the deployment's, and a healthy run", async () => {
    await clientWithKey('monitored');
    const d = {
      ...deps,
      quotaConfig: { tiers: { default: { rateLimit: 50, burstLimit: 100 } }, deployment: { limit: 100, period: 'MONTH' as const } },
    };
    const spec = { scope: { kind: 'client' as const, clientName: 'monitored' }, quota: { limit: 10, period: 'DAY' as const }, shards: 1 };
    const dep = { scope: { kind: 'deployment' as const }, quota: { limit: 100, period: 'MONTH' as const }, shards: 20 };
    for (let i = 0; i < 9; i++) expect((await d.usageCounters.consume([spec, dep], clock())).ok).toBe(true);
    recorded.length = 0;

    const sweep = await createQuotaMonitor(d)();
    expect(sweep).toMatchObject({ failed: 0, maxUtilization: 90, deployment: { used: 9, limit: 100, remaining: 91 } });
    expect(sweep.clients).toBeGreaterThanOrEqual(4);
    const monitored = recorded.find((r) => r.kind === 'quota' && r.args[0] === 'monitored');
    expect(monitored?.args[1]).toMatchObject({ used: 9, limit: 10, remaining: 1, period: 'DAY' });
    expect(recorded.filter((r) => r.kind === 'max')).toEqual([{ kind: 'max', args: [90] }]);
    expect(recorded.filter((r) => r.kind === 'deployment')).toEqual([
      { kind: 'deployment', args: [expect.objectContaining({ used: 9, limit: 100 })] },
    ]);
    expect(recorded.filter((r) => r.kind === 'run')).toEqual([{ kind: 'run', args: [{ readFailures: 0, succeeded: true }] }]);
  });

  it('fails loudly when it cannot read: a read-failure count, no "healthy" signal, no utilisation, and an error', async () => {
    const dead = documentClient('http://127.0.0.1:9');
    const d = { ...deps, doc: dead, usageCounters: new UsageCounterStore(dead, table.env.TABLE_NAME) };
    recorded.length = 0;
    await expect(createQuotaMonitor(d)()).rejects.toThrow(/read\(s\) failed/);
    expect(recorded.filter((r) => r.kind === 'run')).toEqual([{ kind: 'run', args: [{ readFailures: 1, succeeded: false }] }]);
    expect(recorded.filter((r) => r.kind === 'max' || r.kind === 'quota')).toEqual([]);
  });
});
