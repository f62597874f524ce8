/**
 * Changes to a client's credentials: secret rotation, registered keys, revocation cut-off.
 * Each is one optimistic read-modify-write (ClientStore.update), shared by the operator API
 * and the client's own settings routes.
 */
import type { KeyRegistration } from '../core/key-registration';
import { newClientSecret, type ClientRecord, type ClientStore, type RegisteredKeys } from './client-store';

export interface RotatedSecret {
  clientSecret: string;
  /** Epoch seconds until which the previous secret(s) keep working. */
  previousValidUntil: number;
}

/**
 * A new current secret; the previous one works for `graceSeconds` more (for /authtoken and
 * for HS256 tokens alike: both read the same list). Older rotated-out secrets never outlive
 * the new grace, so a rotation with grace 0 (a leaked secret) ends every old secret at once.
 */
export async function rotateClientSecret(
  store: ClientStore,
  clientName: string,
  graceSeconds: number,
  nowMs: number,
): Promise<RotatedSecret> {
  const clientSecret = newClientSecret();
  const sealed = await store.sealSecret(clientName, clientSecret);
  const now = Math.floor(nowMs / 1000);
  // A grace of N seconds means at least N whole seconds (validity is checked at second
  // resolution), and a grace of 0 ends the previous secrets at once.
  const previousValidUntil = graceSeconds === 0 ? now : Math.ceil(nowMs / 1000) + graceSeconds;
  await store.update(clientName, (record) => {
    const kept = record.secrets
      .map((s) => ({ ...s, validUntil: Math.min(s.validUntil ?? Number.MAX_SAFE_INTEGER, previousValidUntil) }))
      .filter((s) => s.validUntil > now);
    record.secrets = [{ sealed, createdAt: new Date(nowMs).toISOString() }, ...kept];
    record.updatedAt = new Date(nowMs).toISOString();
  });
  return { clientSecret, previousValidUntil };
}

export async function setClientKeys(store: ClientStore, clientName: string, registration: KeyRegistration, nowMs: number): Promise<ClientRecord> {
  const keys: RegisteredKeys = { ...registration, updatedAt: new Date(nowMs).toISOString() };
  return store.update(clientName, (record) => {
    record.keys = keys;
    record.updatedAt = keys.updatedAt;
  });
}

/** Every token of the client issued before `issuedBefore` (or without iat) is revoked. A cut-off only moves forward. */
export async function revokeClientTokensBefore(store: ClientStore, clientName: string, issuedBefore: number, nowMs: number): Promise<number> {
  const record = await store.update(clientName, (r) => {
    r.revokedBefore = Math.max(r.revokedBefore ?? 0, issuedBefore);
    r.updatedAt = new Date(nowMs).toISOString();
  });
  return record.revokedBefore as number;
}
