/** PUT /admin/sessions/{sessionId}: upserts workout session content (validated, bounded). */
import { parseSession } from '../core/schemas/session';
import { sessionPayload } from '../core/workout-sessions';
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';

export function putSession(deps: Pick<Deps, 'workoutSessions'>): Operation {
  return async (req) => {
    const session = parseSession(req.params.sessionId ?? '', req.json());
    const { created, updatedAt } = await deps.workoutSessions.put(session);
    return { status: 200, body: { session: sessionPayload(session), created, updatedAt } };
  };
}
