/**
 * The grace rules of a client-secret rotation: how long the secrets it replaces keep working,
 * and which of them are kept. Validity is checked at second resolution (epoch seconds).
 */

/**
 * Epoch seconds until which the previous secrets work after a rotation at `nowMs`. A grace of
 * N seconds means at least N whole seconds; a grace of 0 ends the previous secrets at once.
 */
export function previousSecretsValidUntil(nowMs: number, graceSeconds: number): number {
  return graceSeconds === 0 ? Math.floor(nowMs / 1000) : Math.ceil(nowMs / 1000) + graceSeconds;
}

/**
 * The rotated-out secrets a rotation keeps: none outlives the new grace (so a rotation with
 * grace 0, a leaked secret, ends every old secret at once), and those already ended are dropped.
 */
export function secretsKeptAfterRotation<S extends { validUntil?: number }>(
  secrets: readonly S[],
  previousValidUntil: number,
  nowSeconds: number,
): (S & { validUntil: number })[] {
  return secrets
    .map((s) => ({ ...s, validUntil: Math.min(s.validUntil ?? Number.MAX_SAFE_INTEGER, previousValidUntil) }))
    .filter((s) => s.validUntil > nowSeconds);
}
