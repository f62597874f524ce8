/**
 * The WorkoutKitToken (device-bound launch token, contract "The WorkoutKitToken"): an ES256
 * JWS signed by the deployment's current key, valid one day, bound to the deployment (`iss`
 * = tenant + stage), the client, the end user (`sub`), the device (a keyed hash, see
 * device-id.ts), the session and the payload digest.
 *
 * It shares the signing key with access tokens, so two marks keep the two apart: header
 * `typ: wk-launch+jwt` (RFC 8725 §3.11, explicit typing) and `token_use: 'launch'`; the
 * authorizer accepts only `token_use: 'access'`, so a launch token is never a bearer token.
 *
 * Verification here is pure (keys, device key and clock come in); the caller then checks
 * the stored record (revocation, TTL) — see lambdas/session/launch.ts.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { deviceHash, digestsEqual } from './device-id';
import { LaunchTokenInvalidError } from './errors';
import { parseJwt, type ParsedJwt } from './jwt-parse';
import type { SigningKey } from './signing-key';
import { verifyAsymmetric } from './verify-signature';
import type { DeploymentKeySet } from './verify-token';

export const LAUNCH_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
export const LAUNCH_TOKEN_TYP = 'wk-launch+jwt';

export interface LaunchBinding {
  clientName: string;
  sub: string;
  sessionId: string;
  payloadDigest: string;
}

export interface LaunchClaims extends LaunchBinding {
  iss: string;
  jti: string;
  iat: number;
  exp: number;
  /** Keyed, per-token hash of the device id (never the id itself). */
  dev: string;
  token_use: 'launch';
}

export interface IssuedLaunchToken {
  token: string;
  claims: LaunchClaims;
}

export async function issueLaunchToken(
  binding: LaunchBinding,
  device: { id: string; key: Buffer },
  signingKey: SigningKey,
  issuer: string,
  nowMs: number,
): Promise<IssuedLaunchToken> {
  const iat = Math.floor(nowMs / 1000);
  const jti = randomUUID();
  const claims: LaunchClaims = {
    iss: issuer,
    clientName: binding.clientName,
    sub: binding.sub,
    sessionId: binding.sessionId,
    payloadDigest: binding.payloadDigest,
    dev: deviceHash(device.key, jti, device.id),
    token_use: 'launch',
    jti,
    iat,
    exp: iat + LAUNCH_TOKEN_LIFETIME_SECONDS,
  };
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: signingKey.kid, typ: LAUNCH_TOKEN_TYP })
    .sign(signingKey.privateKey);
  return { token, claims };
}

/** Stable reasons, the first word of `error_description` on 401 launch_token_invalid. */
export type LaunchFailure =
  | 'malformed'
  | 'not_a_launch_token'
  | 'unknown_key'
  | 'bad_signature'
  | 'other_deployment'
  | 'expired'
  | 'other_session'
  | 'other_device'
  | 'modified_payload'
  | 'revoked';

const TEXT: Readonly<Record<LaunchFailure, string>> = {
  malformed: 'the launch token is malformed',
  not_a_launch_token: 'this is not a WorkoutKitToken',
  unknown_key: 'the launch token was not signed by this deployment (another stage or tenant, or forged)',
  bad_signature: 'the launch token signature does not verify',
  other_deployment: 'the launch token was issued by another deployment',
  expired: 'the launch token expired',
  other_session: 'the launch token is bound to another session',
  other_device: 'the launch token is bound to another device',
  modified_payload: 'the payload digest does not match: the payload was modified',
  revoked: 'the launch token was revoked or is unknown',
};

export function launchFailure(reason: LaunchFailure, cause?: unknown): InstanceType<typeof LaunchTokenInvalidError> {
  return new LaunchTokenInvalidError(`${reason}: ${TEXT[reason]}`, cause === undefined ? {} : { cause });
}

export interface LaunchRequest {
  token: string;
  deviceId: string;
  sessionId: string;
  payloadDigest: string;
}

export interface LaunchVerifierDeps {
  issuer: string;
  keys: Pick<DeploymentKeySet, 'get'>;
  /** The deployment's device-hash key (fetched only once the signature verified). */
  deviceKey: () => Promise<Buffer>;
  clock: () => number;
}

const CLAIM_STRINGS = ['iss', 'clientName', 'sub', 'sessionId', 'payloadDigest', 'dev', 'jti'] as const;

function parse(token: string): ParsedJwt {
  try {
    return parseJwt(token);
  } catch (cause) {
    throw launchFailure('malformed', cause);
  }
}

function claimsOf(jwt: ParsedJwt): LaunchClaims {
  const p = jwt.payload;
  for (const name of CLAIM_STRINGS) if (typeof p[name] !== 'string' || p[name].length === 0) throw launchFailure('malformed');
  if (!Number.isInteger(p.iat) || !Number.isInteger(p.exp)) throw launchFailure('malformed');
  return p as unknown as LaunchClaims;
}

/**
 * Checks a launch in a fixed order, so each refusal names the first binding that fails:
 * form, key, signature, deployment, expiry, session, device, payload.
 */
export async function verifyLaunchToken(req: LaunchRequest, deps: LaunchVerifierDeps): Promise<LaunchClaims> {
  const jwt = parse(req.token);
  if (jwt.header.typ !== LAUNCH_TOKEN_TYP || jwt.payload.token_use !== 'launch') throw launchFailure('not_a_launch_token');
  // The algorithm is fixed by our key type (ES256), never taken from the token.
  if (jwt.header.alg !== 'ES256' || typeof jwt.header.kid !== 'string') throw launchFailure('unknown_key');
  const key = await deps.keys.get(jwt.header.kid);
  if (!key || !key.algs.includes('ES256')) throw launchFailure('unknown_key');
  if (!verifyAsymmetric('ES256', key.key, jwt.signingInput, jwt.signature)) throw launchFailure('bad_signature');
  const claims = claimsOf(jwt);
  if (claims.iss !== deps.issuer) throw launchFailure('other_deployment');
  // Both ends of this check use our own clock: no skew allowance is needed.
  if (Math.floor(deps.clock() / 1000) >= claims.exp) throw launchFailure('expired');
  if (claims.sessionId !== req.sessionId) throw launchFailure('other_session');
  if (!digestsEqual(claims.dev, deviceHash(await deps.deviceKey(), claims.jti, req.deviceId))) throw launchFailure('other_device');
  if (!digestsEqual(claims.payloadDigest, req.payloadDigest)) throw launchFailure('modified_payload');
  return claims;
}
