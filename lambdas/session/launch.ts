/**
 * POST /v1/sdk/launch: may this device launch this session with this payload? The token
 * is checked (core/launch-token.ts), then its stored record and its revocation state, read
 * side by side and strongly consistent: a record that is absent or expired (TTL not yet
 * swept) refuses the launch, the record must agree with the token, and the token must not
 * be revoked under the rule every token kind follows (core/revocation.ts: its jti revoked by
 * the operator or by its client, its client gone, or a client cut-off after its iat).
 * The same device may launch again within the token's day.
 */
import { launchFailure, verifyLaunchToken } from '../core/launch-token';
import { assertNotRevoked } from '../core/revocation';
import { parseLaunchRequest } from '../core/schemas/sdk';
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';
import { logger } from '../runtime/logger';
import { readCallerState } from '../store/caller-state';

export function launchSession(
  deps: Pick<Deps, 'signingKeys' | 'deploymentSecrets' | 'launchTokens' | 'issuer' | 'clock' | 'metrics' | 'doc' | 'env'>,
): Operation {
  return async (req) => {
    const launch = parseLaunchRequest(req.json());
    try {
      const claims = await verifyLaunchToken(launch, {
        issuer: deps.issuer,
        keys: deps.signingKeys,
        deviceKey: () => deps.deploymentSecrets.get('device-hash'),
        clock: deps.clock,
      });
      const [record, state] = await Promise.all([
        deps.launchTokens.getLive(claims.jti),
        readCallerState(deps.doc, deps.env.TABLE_NAME, claims.clientName, claims.jti, Math.floor(deps.clock() / 1000)),
      ]);
      try {
        assertNotRevoked(state, claims.iat);
      } catch (cause) {
        throw launchFailure('revoked', cause);
      }
      if (
        !record ||
        record.sessionId !== claims.sessionId ||
        record.payloadDigest !== claims.payloadDigest ||
        record.deviceHash !== claims.dev ||
        record.sub !== claims.sub ||
        record.clientName !== claims.clientName
      ) {
        throw launchFailure('revoked');
      }
      logger.info('launch accepted', { jti: claims.jti, sessionId: claims.sessionId });
      return { status: 200, body: { valid: true, expiresAt: new Date(claims.exp * 1000).toISOString() } };
    } catch (err) {
      // The reason is the caller's to see (contract); the token itself is never logged.
      if (err instanceof Error && err.name === 'LaunchTokenInvalidError') {
        const reason = err.message.split(':')[0] ?? 'unknown';
        logger.info('launch refused', { reason });
        deps.metrics.launchRefused(reason);
        deps.metrics.flush();
      }
      throw err;
    }
  };
}
