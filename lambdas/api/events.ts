/**
 * POST /v1/events: records a user event (scope `write` and `sub` checked by the route rules).
 * With an Idempotency-Key, a repeat within 24 h answers the first answer again (and
 * `Idempotent-Replayed: true`) instead of recording a second event; the same key with another
 * body is 409 conflict. Refused bodies (400) claim nothing.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError } from '../core/errors';
import { IDEMPOTENT_REPLAYED_HEADER, parseIdempotencyKey, requestFingerprint } from '../core/idempotency';
import { parseUserEvent } from '../core/user-events';
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';

export function recordEvent(deps: Pick<Deps, 'events' | 'idempotency' | 'clock'>): Operation {
  return async (req) => {
    const caller = req.caller;
    if (!caller?.sub) throw new Error('recordEvent needs a caller with sub');
    const key = parseIdempotencyKey(req.headers['idempotency-key']);
    const body = req.json();
    const now = deps.clock();
    const input = parseUserEvent(body, now);
    if (key === undefined) {
      const event = await deps.events.record(caller.clientName, caller.sub, input);
      return { status: 202, body: { id: event.id } };
    }
    const scope = { clientName: caller.clientName, sub: caller.sub, key };
    const result = await deps.idempotency.claim(scope, requestFingerprint(body), { eventId: randomUUID(), receivedAtMs: now });
    if (result.kind === 'mismatch') throw new ConflictError('Idempotency-Key was already used with a different request body');
    const { claim } = result;
    // A repeat writes the event again under the claim's id and time: the same item, so a first
    // attempt that failed after claiming is completed, and a finished one is left as it was.
    const fixedInput = result.kind === 'repeat' ? parseUserEvent(body, claim.receivedAtMs) : input;
    await deps.events.record(caller.clientName, caller.sub, fixedInput, claim);
    return {
      status: 202,
      body: { id: claim.eventId },
      ...(result.kind === 'repeat' ? { headers: { [IDEMPOTENT_REPLAYED_HEADER]: 'true' } } : {}),
    };
  };
}
