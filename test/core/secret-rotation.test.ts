import { previousSecretsValidUntil, secretsKeptAfterRotation } from '../../lambdas/core/secret-rotation';

// 2026-11-25 15:30:00.250 UTC: a rotation in the middle of a second.
const nowMs = Date.UTC(2026, 10, 25, 15, 30) + 250;
const nowS = Math.floor(nowMs / 1000);

describe('client-secret rotation grace', () => {
  it('ends the previous secrets at once with a grace of 0', () => {
    expect(previousSecretsValidUntil(nowMs, 0)).toBe(nowS);
  });

  it('gives at least the whole grace: the partial second does not count', () => {
    expect(previousSecretsValidUntil(nowMs, 3600)).toBe(nowS + 1 + 3600);
    expect(previousSecretsValidUntil(nowS * 1000, 3600)).toBe(nowS + 3600);
  });

  it('cuts every kept secret to the new grace and drops the ended ones', () => {
    const until = nowS + 60;
    const kept = secretsKeptAfterRotation(
      [
        { sealed: 'current' }, // no end yet: gets the grace
        { sealed: 'longer', validUntil: nowS + 7200 }, // would outlive the grace: cut to it
        { sealed: 'shorter', validUntil: nowS + 10 }, // ends before the grace: unchanged
        { sealed: 'ended', validUntil: nowS }, // already over: dropped
      ],
      until,
      nowS,
    );
    expect(kept).toEqual([
      { sealed: 'current', validUntil: until },
      { sealed: 'longer', validUntil: until },
      { sealed: 'shorter', validUntil: nowS + 10 },
    ]);
  });

  it('keeps nothing after a rotation with grace 0 (a leaked secret)', () => {
    const until = previousSecretsValidUntil(nowMs, 0);
    expect(secretsKeptAfterRotation([{ sealed: 'a' }, { sealed: 'b', validUntil: nowS + 100 }], until, nowS)).toEqual([]);
  });
});
