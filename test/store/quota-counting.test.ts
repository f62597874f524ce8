/**
 * The quota counters and the handlers' counting on DynamoDB Local, with a fixed clock: exact
 * counts from 8 concurrent callers (one client; clients sharing the deployment quota; a sharded
 * counter), Retry-After to the period's reset, roll-over into the next period, refusals not
 * counted, every 401 a handler can give left uncounted, and 503 (never an uncounted 200) when
 * DynamoDB fails.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { toAuthorizerContext } from '../../lambdas/core/auth-context';
import { GatewayError, QuotaExceededError } from '../../lambdas/core/errors';
import type { StageQuotaConfig } from '../../lambdas/core/quota';
import type { AuthenticatedEntity } from '../../lambdas/core/verify-token';
import { createApi } from '../../lambdas/api/handler';
import { createSession } from '../../lambdas/session/handler';
import type { Deps } from '../../lambdas/runtime/deps';
import { quotaMeter, readUsage } from '../../lambdas/runtime/quota-meter';
import { documentClient } from '../../lambdas/store/dynamo';
import { UsageCounterStore, type CounterSpec } from '../../lambdas/store/usage-counter-store';
import { createTestTable, testClock, type TestClock, type TestTable } from '../support/test-table';

let table: TestTable;
let clock: TestClock;
let deps: Deps;

// Wednesday 2026-11-25 15:30 UTC.
const WED = Date.UTC(2026, 10, 25, 15, 30);

beforeAll(async () => {
  table = await createTestTable();
});
afterAll(() => table.close());
beforeEach(() => {
  clock = testClock(WED);
  deps = table.deps(clock);
});

const withConfig = (config: StageQuotaConfig): Deps => ({ ...deps, quotaConfig: config });
const TIERS = { default: { rateLimit: 100, burstLimit: 200 } };

async function client(d: Deps, clientName: string, quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH' }): Promise<void> {
  await d.clients.create({ clientName, requiredClaims: [], ...(quota ? { quota } : {}) }, new Date(clock()));
}

/** `callers` concurrent loops of `each` admissions; how many were admitted and refused. */
async function admitConcurrently(
  d: Deps,
  names: readonly string[],
  callers: number,
  each: number,
): Promise<{ ok: number; refused: number }> {
  const admit = quotaMeter(d);
  const tally = { ok: 0, refused: 0 };
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let i = 0; i < each; i++) {
        try {
          await admit(names[c % names.length] as string, Promise.resolve());
          tally.ok++;
        } catch (err) {
          if (!(err instanceof QuotaExceededError)) throw err;
          tally.refused++;
        }
      }
    }),
  );
  return tally;
}

describe('exact counting under concurrency', () => {
  it('8 concurrent callers on one client: exactly the limit is admitted and counted', async () => {
    const d = withConfig({ tiers: TIERS });
    await client(d, 'exact-one', { limit: 40, period: 'DAY' });
    const tally = await admitConcurrently(d, ['exact-one'], 8, 8);
    expect(tally).toEqual({ ok: 40, refused: 24 });
    const usage = await readUsage(d, { clientName: 'exact-one', quota: { limit: 40, period: 'DAY' }, createdAt: '' });
    expect(usage).toMatchObject({ used: 40, remaining: 0, limit: 40, deployment: null });
    console.log(
      `counter store, 8 concurrent callers, one client, quota 40: 64 admissions tried, ${tally.ok} admitted, used = ${usage.used}`,
    );
  });

  it('8 concurrent callers over 4 clients sharing a deployment quota: the deployment is exact and the clients add up to it', async () => {
    const d = withConfig({ tiers: TIERS, deployment: { limit: 30, period: 'WEEK' } });
    const names = ['dep-a', 'dep-b', 'dep-c', 'dep-d'];
    for (const n of names) await client(d, n);
    const tally = await admitConcurrently(d, names, 8, 6);
    expect(tally).toEqual({ ok: 30, refused: 18 });
    const usages = await Promise.all(names.map((clientName) => readUsage(d, { clientName, createdAt: '' })));
    expect(usages[0]?.deployment).toMatchObject({ used: 30, limit: 30, remaining: 0, period: 'WEEK' });
    expect(usages.reduce((sum, u) => sum + u.used, 0)).toBe(30);
    console.log(
      `counter store, 8 concurrent callers, 4 clients, deployment quota 30: 48 tried, ${tally.ok} admitted, per client ${usages.map((u) => u.used).join('+')}`,
    );
  });

  it('a sharded counter (tiers above 500 requests/s) never passes its limit either, and refuses only once every shard is full', async () => {
    // 1,600 requests/s on the fastest tier: 4 shards for every client counter.
    const d = withConfig({ tiers: { default: { rateLimit: 1600, burstLimit: 3200 } } });
    await client(d, 'sharded', { limit: 21, period: 'MONTH' });
    const tally = await admitConcurrently(d, ['sharded'], 8, 5);
    expect(tally).toEqual({ ok: 21, refused: 19 });
    expect((await readUsage(d, { clientName: 'sharded', quota: { limit: 21, period: 'MONTH' }, createdAt: '' })).used).toBe(21);
  });
});

describe('refusal, Retry-After and the period roll-over (fixed clock)', () => {
  it('refuses with Retry-After = seconds to the reset, does not count refusals, and starts afresh in the next period', async () => {
    const d = withConfig({ tiers: TIERS });
    await client(d, 'roll-day', { limit: 3, period: 'DAY' });
    const admit = quotaMeter(d);
    for (let i = 0; i < 3; i++) await admit('roll-day', Promise.resolve());
    const refusal = await admit('roll-day', Promise.resolve()).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(QuotaExceededError);
    expect((refusal as GatewayError).retryAfter).toBe(8.5 * 3600); // 15:30 → midnight
    await expect(admit('roll-day', Promise.resolve())).rejects.toBeInstanceOf(QuotaExceededError);
    const record = { clientName: 'roll-day', quota: { limit: 3, period: 'DAY' as const }, createdAt: '' };
    expect(await readUsage(d, record)).toMatchObject({ used: 3, remaining: 0, resetsAt: '2026-11-26T00:00:00.000Z' });

    clock.now = Date.UTC(2026, 10, 26, 0, 0, 1); // the next day
    await admit('roll-day', Promise.resolve());
    expect(await readUsage(d, record)).toMatchObject({ used: 1, remaining: 2, resetsAt: '2026-11-27T00:00:00.000Z' });
  });

  it('gives a MONTH quota refused on the 1st the seconds to the next 1st, a WEEK quota those to Sunday', async () => {
    const d = withConfig({ tiers: TIERS });
    await client(d, 'roll-month', { limit: 1, period: 'MONTH' });
    await client(d, 'roll-week', { limit: 1, period: 'WEEK' });
    clock.now = Date.UTC(2026, 11, 1, 0, 0, 0);
    const admit = quotaMeter(d);
    await admit('roll-month', Promise.resolve());
    await admit('roll-week', Promise.resolve());
    const month = (await admit('roll-month', Promise.resolve()).catch((e: unknown) => e)) as GatewayError;
    expect(month.retryAfter).toBe(31 * 86_400);
    const week = (await admit('roll-week', Promise.resolve()).catch((e: unknown) => e)) as GatewayError;
    expect(week.retryAfter).toBe(Date.UTC(2026, 11, 6) / 1000 - clock.now / 1000); // Tuesday → Sunday
  });
});

describe('only authenticated requests are counted (the handler path)', () => {
  const entity = (over: Partial<AuthenticatedEntity>): AuthenticatedEntity => ({
    clientName: 'h401',
    scope: ['read', 'write', 'settings'],
    tokenKind: 'client-hs256',
    alg: 'HS256',
    sub: 'user-1',
    issuedAt: Math.floor(WED / 1000) - 10,
    expiresAt: Math.floor(WED / 1000) + 3600,
    jti: 'jti-ok',
    ...over,
  });
  const event = (resource: string, method: string, ctx: Record<string, string> | undefined, body?: unknown): APIGatewayProxyEvent =>
    ({
      resource,
      path: resource,
      httpMethod: method,
      headers: { 'content-type': 'application/json', 'x-workoutkit-device': 'device-1' },
      body: body === undefined ? null : JSON.stringify(body),
      isBase64Encoded: false,
      pathParameters: null,
      queryStringParameters: null,
      requestContext: { authorizer: ctx },
    }) as unknown as APIGatewayProxyEvent;
  const used = async (d: Deps): Promise<number> => (await readUsage(d, { clientName: 'h401', createdAt: '' })).used;

  it('gives each handler 401 without counting it; a 200 counts once', async () => {
    const d = withConfig({ tiers: TIERS });
    await client(d, 'h401');
    const api = createApi(d);
    const session = createSession(d);
    const verify = (e: Partial<AuthenticatedEntity>) => api(event('/v1/auth/verify', 'GET', toAuthorizerContext(entity(e))));
    const cases: [string, () => Promise<{ statusCode: number; body: string }>][] = [
      ['token_expired', () => verify({ expiresAt: Math.floor(WED / 1000) - 3600 })],
      [
        'missing_required_claim',
        () => session(event('/graphql', 'POST', toAuthorizerContext(entity({ sub: undefined })), { query: '{ __typename }' })),
      ],
      ['invalid_token', () => api(event('/v1/auth/verify', 'GET', undefined))],
      ['invalid_token', () => verify({ clientName: 'h401-gone' })],
    ];
    await d.revocations.revoke('jti-revoked', 'operator');
    cases.push(['token_revoked', () => verify({ jti: 'jti-revoked' })]);
    for (const [code, run] of cases) {
      const res = await run();
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain(code);
    }
    expect(await used(d)).toBe(0);

    // A cut-off for the client: tokens issued before it are refused, uncounted.
    await d.clients.update('h401', (r) => {
      r.revokedBefore = Math.floor(WED / 1000);
    });
    const cut = await verify({});
    expect([cut.statusCode, cut.body.includes('token_revoked')]).toEqual([401, true]);
    // Disabled: 401 invalid_token saying so, uncounted.
    await d.clients.update('h401', (r) => {
      delete r.revokedBefore;
      r.disabled = true;
    });
    d.clientDirectory.invalidate('h401');
    const disabled = await verify({});
    expect(disabled.statusCode).toBe(401);
    expect(JSON.parse(disabled.body)).toEqual({ error: 'invalid_token', error_description: 'The client is disabled' });
    expect(await used(d)).toBe(0);

    await d.clients.update('h401', (r) => {
      r.disabled = false;
    });
    d.clientDirectory.invalidate('h401');
    expect((await verify({})).statusCode).toBe(200);
    expect(await used(d)).toBe(1);
  });
});

describe('failing closed', () => {
  it('answers 503 when the counters cannot be written, never an uncounted 200', async () => {
    const dead = new UsageCounterStore(documentClient('http://127.0.0.1:9'), table.env.TABLE_NAME);
    const d = { ...withConfig({ tiers: TIERS }), usageCounters: dead };
    await client(d, 'fail-closed');
    await expect(quotaMeter(d)('fail-closed', Promise.resolve())).rejects.toMatchObject({ code: 'service_unavailable', status: 503 });
  });

  it('takes back a counted request when another counter refuses it (a refused request counts nowhere)', async () => {
    const store = new UsageCounterStore(deps.doc, table.env.TABLE_NAME);
    const own: CounterSpec = { scope: { kind: 'client', clientName: 'takeback' }, quota: { limit: 10, period: 'DAY' }, shards: 1 };
    const shared: CounterSpec = { scope: { kind: 'deployment' }, quota: { limit: 1, period: 'MONTH' }, shards: 1 };
    // The deployment counter's one request of January 2027 is used up first.
    await new UsageCounterStore(deps.doc, table.env.TABLE_NAME).consume([shared], Date.UTC(2027, 0, 15));
    const refused = await store.consume([own, shared], Date.UTC(2027, 0, 15));
    expect(refused).toMatchObject({ ok: false, exceeded: shared });
    expect(store.stats.undos).toBe(1);
    expect(await store.used([{ scope: own.scope, period: 'DAY', shards: 1 }], Date.UTC(2027, 0, 15))).toEqual([0]);
  });
});
