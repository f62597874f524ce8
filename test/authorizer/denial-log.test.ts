/**
 * The authorizer's refusal log: filed under the client a token names, bounded in time and
 * rate, never failing the Deny; and the AUTHLOG# store on DynamoDB Local.
 */
import { createDenialLog } from '../../lambdas/authorizer/denial-log';
import { tokenSubject } from '../../lambdas/core/token-subject';
import type { TokenKind } from '../../lambdas/core/verify-token';
import { AUTH_LOG_RETENTION_SECONDS } from '../../lambdas/store/auth-log-store';
import { signHs256 } from '../support/keys';
import { createTestTable, testClock, type TestTable } from '../support/test-table';

const ISSUER = 'workoutkit:test:sandbox';

function fakes() {
  const written: { clientName: string; reason: string; tokenKind: TokenKind }[] = [];
  return {
    written,
    authLog: {
      record: async (clientName: string, reason: string, tokenKind: TokenKind) => {
        written.push({ clientName, reason, tokenKind });
      },
    },
  };
}

describe('tokenSubject', () => {
  it('reads the client a client token names, and its kind, without verifying it', () => {
    expect(tokenSubject(signHs256('wrong', { clientName: 'acme' }), ISSUER)).toEqual({ clientName: 'acme', tokenKind: 'client-hs256' });
    expect(tokenSubject(signHs256('x', { iss: ISSUER, clientName: 'acme' }), ISSUER)).toEqual({ clientName: 'acme', tokenKind: 'issued' });
  });

  it('names nobody for garbage or a malformed clientName', () => {
    expect(tokenSubject('not-a-token', ISSUER)).toBeUndefined();
    expect(tokenSubject(signHs256('x', { clientName: 'Not Valid!' }), ISSUER)).toBeUndefined();
    expect(tokenSubject(signHs256('x', { sub: 'u' }), ISSUER)).toBeUndefined();
  });
});

describe('createDenialLog', () => {
  it('records the reason and token kind under an existing client, never the token', async () => {
    const f = fakes();
    const record = createDenialLog({ issuer: ISSUER, ...f });
    const token = signHs256('wrong', { clientName: 'acme' });
    await record(token, 'invalid_signature');
    expect(f.written).toEqual([{ clientName: 'acme', reason: 'invalid_signature', tokenKind: 'client-hs256' }]);
    expect(JSON.stringify(f.written)).not.toContain(token.split('.')[2]);
  });

  it('records a name no client has exactly as it records a client: nothing tells the two apart', async () => {
    const f = fakes();
    const record = createDenialLog({ issuer: ISSUER, ...f });
    await record(signHs256('x', { clientName: 'acme' }), 'invalid_signature');
    await record(signHs256('x', { clientName: 'ghost' }), 'invalid_signature');
    expect(f.written).toEqual([
      { clientName: 'acme', reason: 'invalid_signature', tokenKind: 'client-hs256' },
      { clientName: 'ghost', reason: 'invalid_signature', tokenKind: 'client-hs256' },
    ]);
  });

  it('has written the entry when it returns (Lambda may freeze the environment right after the Deny)', async () => {
    const written: string[] = [];
    const record = createDenialLog({
      issuer: ISSUER,
      authLog: { record: (name) => new Promise<void>((resolve) => setTimeout(() => resolve(void written.push(name)), 200)) },
    });
    await record(signHs256('x', { clientName: 'acme' }), 'invalid_signature');
    expect(written).toEqual(['acme']);
  });

  it('waits at most its timeout for a write that hangs, and aborts that write', async () => {
    let signal: AbortSignal | undefined;
    const record = createDenialLog({
      issuer: ISSUER,
      authLog: {
        record: (_n, _r, _k, s) => {
          signal = s;
          return new Promise<void>(() => undefined);
        },
      },
      timeoutMs: 50,
    });
    const started = Date.now();
    await record(signHs256('x', { clientName: 'acme' }), 'invalid_signature');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(signal?.aborted).toBe(true);
  });

  it('swallows a failing write so the Deny still goes out', async () => {
    const record = createDenialLog({
      issuer: ISSUER,
      authLog: { record: async () => Promise.reject(new Error('table down')) },
    });
    await expect(record(signHs256('x', { clientName: 'acme' }), 'invalid_signature')).resolves.toBeUndefined();
  });

  it('caps entries per second in all, whatever the names', async () => {
    const f = fakes();
    const clock = testClock();
    const record = createDenialLog({ issuer: ISSUER, ...f, clock, perSecond: 5 });
    for (let i = 0; i < 20; i++) await record(signHs256('x', { clientName: `name-${i}` }), 'invalid_signature');
    expect(f.written).toHaveLength(5);
    clock.advance(1_000);
    await record(signHs256('x', { clientName: 'name-99' }), 'invalid_signature');
    expect(f.written).toHaveLength(6);
  });

  it('caps entries per client per minute, then admits again in the next minute', async () => {
    const f = fakes();
    const clock = testClock();
    const record = createDenialLog({ issuer: ISSUER, ...f, clock, perClientPerMinute: 3 });
    const token = signHs256('x', { clientName: 'acme' });
    for (let i = 0; i < 10; i++) await record(token, 'invalid_signature');
    expect(f.written).toHaveLength(3);
    clock.advance(60_000);
    await record(token, 'token_expired');
    expect(f.written).toHaveLength(4);
  });
});

describe('AuthLogStore on DynamoDB Local', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await createTestTable();
  });
  afterAll(() => table.close());

  it('returns a client’s failures newest first, only its own, and drops expired ones', async () => {
    // Real time: DynamoDB Local deletes items whose TTL is in its own past.
    const clock = testClock(Date.now());
    const deps = table.deps(clock);
    await deps.authLog.record('log-a', 'invalid_signature', 'client-hs256');
    clock.advance(1000);
    await deps.authLog.record('log-a', 'token_expired', 'issued');
    await deps.authLog.record('log-b', 'invalid_token', 'client-asymmetric');
    const recent = await deps.authLog.recent('log-a');
    expect(recent.map((r) => r.reason)).toEqual(['token_expired', 'invalid_signature']);
    expect(recent[0]).toEqual({ at: new Date(clock.now).toISOString(), reason: 'token_expired', tokenKind: 'issued' });
    clock.advance(AUTH_LOG_RETENTION_SECONDS * 1000);
    expect(await deps.authLog.recent('log-a')).toEqual([]);
  });

  it('reads no entry older than the since instant (a client created after entries were filed under its name)', async () => {
    const clock = testClock(Date.now());
    const deps = table.deps(clock);
    await deps.authLog.record('log-c', 'invalid_signature', 'client-hs256');
    clock.advance(1000);
    const createdAt = new Date(clock.now).toISOString();
    clock.advance(1000);
    await deps.authLog.record('log-c', 'token_expired', 'client-hs256');
    expect((await deps.authLog.recent('log-c', undefined, createdAt)).map((r) => r.reason)).toEqual(['token_expired']);
  });
});
