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

function fakes(known: string[] = ['acme']) {
  const written: { clientName: string; reason: string; tokenKind: TokenKind }[] = [];
  return {
    written,
    clientDirectory: { get: async (n: string) => (known.includes(n) ? ({ clientName: n } as never) : undefined) },
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

  it('records nothing for a client that does not exist', async () => {
    const f = fakes([]);
    await createDenialLog({ issuer: ISSUER, ...f })(signHs256('x', { clientName: 'ghost' }), 'invalid_signature');
    expect(f.written).toEqual([]);
  });

  it('waits at most its budget for a slow write', async () => {
    const f = fakes();
    const record = createDenialLog({
      issuer: ISSUER,
      clientDirectory: f.clientDirectory,
      authLog: { record: () => new Promise<void>((resolve) => setTimeout(resolve, 2000)) },
      budgetMs: 20,
    });
    const started = Date.now();
    await record(signHs256('x', { clientName: 'acme' }), 'invalid_signature');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('swallows a failing write so the Deny still goes out', async () => {
    const f = fakes();
    const record = createDenialLog({
      issuer: ISSUER,
      clientDirectory: f.clientDirectory,
      authLog: { record: async () => Promise.reject(new Error('table down')) },
    });
    await expect(record(signHs256('x', { clientName: 'acme' }), 'invalid_signature')).resolves.toBeUndefined();
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
    const clock = testClock();
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
});
