/**
 * Applies a rotation (lambdas/core/signing-key-rotation.ts has the instants and why) to the
 * deployment's signing keys: one pending rotation at a time.
 */
import { ConflictError } from '../core/errors';
import { retirementFor, type RotationPlan } from '../core/signing-key-rotation';
import type { SigningKeyStore } from './signing-key-store';

export async function rotateSigningKey(store: SigningKeyStore, nowMs: number, leadSeconds: number): Promise<RotationPlan> {
  await store.current(); // a fresh deployment bootstraps its first key, which then rotates
  const now = Math.floor(nowMs / 1000);
  const items = await store.list(true);
  const pending = items.find((k) => k.activatesAt > now);
  if (pending) {
    throw new ConflictError(
      `A rotation is already pending: key ${pending.kid} signs from ${new Date(pending.activatesAt * 1000).toISOString()}`,
    );
  }
  const activatesAt = now + leadSeconds;
  const retiresAt = retirementFor(activatesAt);
  const added = await store.add(activatesAt);
  const retiring: RotationPlan['retiring'] = [];
  for (const k of items) {
    if (k.retiresAt !== undefined) continue; // already scheduled by an earlier rotation
    await store.retire(k.kid, retiresAt);
    retiring.push({ kid: k.kid, retiresAt });
  }
  return { kid: added.kid, activatesAt, retiring };
}
