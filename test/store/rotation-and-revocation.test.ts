/**
 * Signing-key rotation and jti revocation against DynamoDB Local, with an injected clock:
 * the instants of docs/key-rotation.md, and TTL filtering on read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { documentClient } from '../../lambdas/store/dynamo';
import { localKeyring } from '../../lambdas/store/keyring';
import { REVOKED_JTI_RETENTION_SECONDS, RevocationStore } from '../../lambdas/store/revocation-store';
import { SigningKeyStore } from '../../lambdas/store/signing-key-store';
import { MIN_LEAD_SECONDS, retirementFor } from '../../lambdas/core/signing-key-rotation';
import { rotateSigningKey } from '../../lambdas/store/signing-key-rotation';
import { startEmbeddedStore, type EmbeddedStore } from '../../local/embedded-store';
import { ensureKeyringFile } from '../../local/secret-files';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
let store: EmbeddedStore;
let dir: string;
let now = T0;
const clock = () => now;
const at = (seconds: number) => {
  now = T0 + seconds * 1000;
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wk-rot-'));
  store = await startEmbeddedStore({
    dataDir: dir,
    tenant: 'rot',
    stages: ['sandbox', 'prod'],
    endpoint: process.env.DYNAMODB_ENDPOINT,
    tablePrefix: `r${randomBytes(4).toString('hex')}`,
  });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('deployment signing-key rotation', () => {
  it('publishes the new key before it signs, switches at activation, and retires the old key after its last token expired', async () => {
    at(0);
    const keys = new SigningKeyStore(
      documentClient(process.env.DYNAMODB_ENDPOINT),
      store.tableNames.sandbox,
      localKeyring(ensureKeyringFile(dir)),
      clock,
    );
    const old = await keys.current();
    const plan = await rotateSigningKey(keys, now, MIN_LEAD_SECONDS);
    expect(plan.activatesAt).toBe(MIN_LEAD_SECONDS + T0 / 1000);
    expect(plan.retiring).toEqual([{ kid: old.kid, retiresAt: retirementFor(plan.activatesAt) }]);
    // The lead outlasts our JWKS max-age (300 s), the key-list cache and the authorizer cache.
    expect(MIN_LEAD_SECONDS).toBeGreaterThanOrEqual(360);
    expect(retirementFor(plan.activatesAt) - plan.activatesAt).toBeGreaterThanOrEqual(86_400 + 60);

    const published = async () => (await keys.published()).map((k) => k.kid).sort();
    expect(await published()).toEqual([old.kid, plan.kid].sort());
    expect((await keys.current()).kid).toBe(old.kid);
    expect(await keys.get(plan.kid)).toBeDefined(); // verifiable before it ever signs

    at(MIN_LEAD_SECONDS);
    expect((await keys.current()).kid).toBe(plan.kid);
    expect(await keys.get(old.kid)).toBeDefined(); // tokens it signed still verify

    at(retirementFor(plan.activatesAt) - T0 / 1000 - 1);
    expect(await published()).toEqual([old.kid, plan.kid].sort());
    at(retirementFor(plan.activatesAt) - T0 / 1000 + 1);
    await keys.list(true);
    expect(await published()).toEqual([plan.kid]);
    expect(await keys.get(old.kid)).toBeUndefined();

    // The next rotation retires the now-current key, and leaves the retired one alone.
    const next = await rotateSigningKey(keys, now, MIN_LEAD_SECONDS);
    expect(next.retiring.map((r) => r.kid)).toEqual([plan.kid]);
  });

  it('refuses a second rotation while one is pending', async () => {
    at(0);
    const keys = new SigningKeyStore(
      documentClient(process.env.DYNAMODB_ENDPOINT),
      store.tableNames.prod,
      localKeyring(ensureKeyringFile(dir)),
      clock,
    );
    await rotateSigningKey(keys, now, MIN_LEAD_SECONDS);
    await expect(rotateSigningKey(keys, now, MIN_LEAD_SECONDS)).rejects.toMatchObject({ code: 'conflict', status: 409 });
  });
});

describe('jti revocations', () => {
  it('keeps a revoked jti for a year and a day and treats an expired item as absent before DynamoDB deletes it', async () => {
    at(0);
    const revocations = new RevocationStore(documentClient(process.env.DYNAMODB_ENDPOINT), store.tableNames.sandbox, clock);
    const jti = 'ü'.repeat(1024); // 2 KiB of UTF-8: the key holds a digest, so it still fits
    expect(await revocations.isRevoked(jti)).toBe(false);
    const { expiresAt } = await revocations.revoke(jti, 'operator');
    expect(expiresAt).toBe(T0 / 1000 + REVOKED_JTI_RETENTION_SECONDS);
    expect(await revocations.consistentReads().isRevoked(jti)).toBe(true);
    at(REVOKED_JTI_RETENTION_SECONDS - 1);
    expect(await revocations.consistentReads().isRevoked(jti)).toBe(true);
    at(REVOKED_JTI_RETENTION_SECONDS + 1);
    expect(await revocations.consistentReads().isRevoked(jti)).toBe(false);
  });
});
