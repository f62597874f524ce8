/**
 * GET /v1/{clientName}/sessions/{sessionId}: the session payload. With X-WorkoutKit-Device
 * (and a `sub`) the answer also carries a WorkoutKitToken in X-WorkoutKit-Token; without
 * the header it is the payload alone (integrations that never launch the SDK).
 */
import { DEVICE_HEADER, parseDeviceId } from '../core/device-id';
import { InsufficientPermissionsError, MissingRequiredClaimError, NotFoundError } from '../core/errors';
import { isSessionId, sessionPayload } from '../core/workout-sessions';
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';
import type { LaunchIssuer } from './launch-issuer';

export const TOKEN_HEADER = 'X-WorkoutKit-Token';

export function getSession(deps: Pick<Deps, 'workoutSessions'>, issue: LaunchIssuer): Operation {
  return async (req) => {
    const caller = req.caller;
    if (!caller) throw new Error('getSession needs an authenticated caller');
    // First, and the same answer whether the other name exists or not (contract).
    if (req.params.clientName !== caller.clientName) throw new InsufficientPermissionsError('This path belongs to another client');
    const rawDevice = req.headers[DEVICE_HEADER];
    const deviceId = rawDevice === undefined ? undefined : parseDeviceId(rawDevice);
    if (deviceId !== undefined && !caller.sub) {
      throw new MissingRequiredClaimError('A WorkoutKitToken is bound to an end user: the bearer token needs sub');
    }
    const sessionId = req.params.sessionId;
    const stored = isSessionId(sessionId) ? await deps.workoutSessions.get(sessionId) : undefined;
    if (!stored) throw new NotFoundError('No such session');
    const payload = sessionPayload(stored.session);
    if (deviceId === undefined || !caller.sub) return { status: 200, body: payload };
    const { token } = await issue({ clientName: caller.clientName, sub: caller.sub, deviceId, sessionId: stored.session.id, payload });
    // A per-user, per-device answer: no shared cache may keep it.
    return { status: 200, body: payload, headers: { [TOKEN_HEADER]: token, 'Cache-Control': 'no-store, private' } };
  };
}
