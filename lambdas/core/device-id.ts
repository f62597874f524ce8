/**
 * The app-lifecycle device id (`X-WorkoutKit-Device`). Seed 001: it must not become a
 * tracking identifier, so it is never stored, logged or returned in the clear; only a
 * keyed hash (HMAC-SHA256 with a per-deployment secret key) is.
 *
 * The hash is also salted with the launch token's `jti`. The token's claims are readable by
 * the B2B caller (a JWT is only signed), so a hash that stayed the same for every token of
 * one device would itself be a stable cross-session device id; per-token hashes cannot be
 * linked without the deployment's key, while launch still recomputes and compares them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidRequestError } from './errors';

export const DEVICE_HEADER = 'x-workoutkit-device';
/** UUIDs and similar random ids; bounded so the header cannot carry a payload. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

export function parseDeviceId(v: unknown, where = 'X-WorkoutKit-Device'): string {
  if (typeof v !== 'string' || !DEVICE_ID_PATTERN.test(v)) {
    throw new InvalidRequestError(`${where} must be 8-128 characters of [A-Za-z0-9._:-]`);
  }
  return v;
}

/** base64url(HMAC-SHA256(key, "wk-device:v1\n" + jti + "\n" + deviceId)). */
export function deviceHash(key: Buffer, jti: string, deviceId: string): string {
  return createHmac('sha256', key).update(`wk-device:v1\n${jti}\n${deviceId}`, 'utf8').digest('base64url');
}

/** Constant-time comparison of two base64url digests. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
