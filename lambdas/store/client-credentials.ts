/**
 * Changes to a client's credentials: secret rotation, registered keys, revocation cut-off.
 * Each is one optimistic read-modify-write (ClientStore.update), shared by the operator API
 * and the client's own settings routes.
 */
import { ConflictError } from '../core/errors';
import type { KeyRegistration } from '../core/key-registration';
import { previousSecretsValidUntil, secretsKeptAfterRotation } from '../core/secret-rotation';
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
 * Of two concurrent rotations one wins; the other throws ConflictError (409) and may retry.
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
  const previousValidUntil = previousSecretsValidUntil(nowMs, graceSeconds);
  // The current secret this rotation replaces, as first read. update() writes conditionally
  // on the record's version and re-reads when another writer got in first: if that writer
  // rotated too, this rotation lost the race and must not hand out a secret whose life the
  // winner's rotation has already cut to its grace. A concurrent change of anything else
  // (a cut-off, the keys) is merged as before.
  let replacing: string | undefined;
  await store.update(clientName, (record) => {
    const current = record.secrets[0]?.sealed ?? '';
    if (replacing === undefined) replacing = current;
    else if (current !== replacing)
      throw new ConflictError('The secret was rotated concurrently by another request; retry to rotate again');
    record.secrets = [
      { sealed, createdAt: new Date(nowMs).toISOString() },
      ...secretsKeptAfterRotation(record.secrets, previousValidUntil, now),
    ];
    record.updatedAt = new Date(nowMs).toISOString();
  });
  return { clientSecret, previousValidUntil };
}

export async function setClientKeys(
  store: ClientStore,
  clientName: string,
  registration: KeyRegistration,
  nowMs: number,
): Promise<ClientRecord> {
  const keys: RegisteredKeys = { ...registration, updatedAt: new Date(nowMs).toISOString() };
  return store.update(clientName, (record) => {
    record.keys = keys;
    record.updatedAt = keys.updatedAt;
  });
}

/** Every token of the client issued before `issuedBefore` (or without iat) is revoked. A cut-off only moves forward. */
export async function revokeClientTokensBefore(
  store: ClientStore,
  clientName: string,
  issuedBefore: number,
  nowMs: number,
): Promise<number> {
  const record = await store.update(clientName, (r) => {
    r.revokedBefore = Math.max(r.revokedBefore ?? 0, issuedBefore);
    r.updatedAt = new Date(nowMs).toISOString();
  });
  return record.revokedBefore as number;
}
