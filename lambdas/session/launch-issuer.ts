/**
 * Issues a WorkoutKitToken for a payload just served (REST or GraphQL): device-hash key and
 * signing key from the deployment, claims from core/launch-token.ts, record in the table.
 * The token is returned only after its record is written, so launch never meets a token
 * it cannot find.
 */
import { issueLaunchToken, type LaunchClaims } from '../core/launch-token';
import { payloadDigest } from '../core/payload-digest';
import type { Deps } from '../runtime/deps';
import { logger } from '../runtime/logger';

export interface LaunchIssueInput {
  clientName: string;
  sub: string;
  deviceId: string;
  sessionId: string;
  /** The payload exactly as served (for GraphQL: restricted to the selected fields). */
  payload: unknown;
}

export type LaunchIssuer = (input: LaunchIssueInput) => Promise<{ token: string; claims: LaunchClaims }>;

export function launchIssuer(
  deps: Pick<Deps, 'signingKeys' | 'deploymentSecrets' | 'launchTokens' | 'issuer' | 'clock' | 'metrics'>,
): LaunchIssuer {
  return async (input) => {
    const [signingKey, deviceKey] = await Promise.all([deps.signingKeys.current(), deps.deploymentSecrets.get('device-hash')]);
    const issued = await issueLaunchToken(
      { clientName: input.clientName, sub: input.sub, sessionId: input.sessionId, payloadDigest: payloadDigest(input.payload) },
      { id: input.deviceId, key: deviceKey },
      signingKey,
      deps.issuer,
      deps.clock(),
    );
    await deps.launchTokens.put(issued.claims, signingKey.kid);
    // The jti and the per-token device hash identify the token for support; never the device id.
    logger.info('launch token issued', { jti: issued.claims.jti, sessionId: input.sessionId, clientName: input.clientName });
    deps.metrics.launchTokenIssued();
    deps.metrics.flush();
    return issued;
  };
}
