/** POST /admin/clients and GET /admin/clients/{clientName}. */
import { parseClientName, parseClientSettings } from '../core/client-settings';
import { NotFoundError } from '../core/errors';
import type { ClientRecord } from '../store/client-store';
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';

/** What an operator may see of a client: everything but secrets. */
export function clientView(record: ClientRecord, nowMs: number): Record<string, unknown> {
  const { secrets, keys, version: _v, ...settings } = record;
  const nowS = Math.floor(nowMs / 1000);
  return {
    ...settings,
    ...(record.revokedBefore !== undefined ? { revokedBefore: new Date(record.revokedBefore * 1000).toISOString() } : {}),
    secrets: secrets.map((s) => ({
      createdAt: s.createdAt,
      ...(s.validUntil !== undefined ? { validUntil: new Date(s.validUntil * 1000).toISOString(), active: s.validUntil > nowS } : { active: true }),
    })),
    keys: keys ? { kind: keys.kind, updatedAt: keys.updatedAt, ...(keys.jwksUri ? { jwksUri: keys.jwksUri } : {}) } : null,
  };
}

export function createClient(deps: Pick<Deps, 'clients' | 'clock'>): Operation {
  return async (req) => {
    const settings = parseClientSettings(req.json());
    const { clientSecret } = await deps.clients.create(settings, new Date(deps.clock()));
    return { status: 201, body: { clientName: settings.clientName, clientSecret } };
  };
}

export function getClient(deps: Pick<Deps, 'clients' | 'clock'>): Operation {
  return async (req) => {
    const name = parseClientName(req.params.clientName);
    const record = await deps.clients.get(name, true);
    if (!record) throw new NotFoundError('No such client');
    return { status: 200, body: clientView(record, deps.clock()) };
  };
}
