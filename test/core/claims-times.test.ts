/** The one expiry rule (core/claims.ts): what verification, the handlers' re-check and client assertions share. */
import { CLOCK_SKEW_SECONDS, checkTimes, isExpired, isInFuture } from '../../lambdas/core/claims';

const NOW = 1_800_000_000;

it('expires a time only once it is more than the skew in the past', () => {
  expect(isExpired(NOW - CLOCK_SKEW_SECONDS, NOW)).toBe(false);
  expect(isExpired(NOW - CLOCK_SKEW_SECONDS - 1, NOW)).toBe(true);
  expect(isInFuture(NOW + CLOCK_SKEW_SECONDS, NOW)).toBe(false);
  expect(isInFuture(NOW + CLOCK_SKEW_SECONDS + 1, NOW)).toBe(true);
});

it('applies the same boundaries to a token’s exp, nbf and iat', () => {
  expect(() => checkTimes({ exp: NOW - CLOCK_SKEW_SECONDS }, NOW)).not.toThrow();
  expect(() => checkTimes({ exp: NOW - CLOCK_SKEW_SECONDS - 1 }, NOW)).toThrow(expect.objectContaining({ code: 'token_expired' }));
  expect(() => checkTimes({ nbf: NOW + CLOCK_SKEW_SECONDS + 1 }, NOW)).toThrow(expect.objectContaining({ code: 'token_expired' }));
  expect(() => checkTimes({ iat: NOW + CLOCK_SKEW_SECONDS + 1 }, NOW)).toThrow(expect.objectContaining({ code: 'invalid_token' }));
});
