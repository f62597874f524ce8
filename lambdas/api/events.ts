/** POST /v1/events: records a user event (scope `write` and `sub` checked by the route rules). */
import { parseUserEvent } from '../core/user-events';
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';

export function recordEvent(deps: Pick<Deps, 'events' | 'clock'>): Operation {
  return async (req) => {
    const caller = req.caller;
    if (!caller?.sub) throw new Error('recordEvent needs a caller with sub');
    const input = parseUserEvent(req.json(), deps.clock());
    const event = await deps.events.record(caller.clientName, caller.sub, input);
    return { status: 202, body: { id: event.id } };
  };
}
