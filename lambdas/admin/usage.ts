/** GET /admin/clients/{clientName}/usage: the current period's use of the client's quota. */
import { parseClientName } from '../core/client-settings';
import { NotFoundError } from '../core/errors';
import { effectiveQuota } from '../core/quota';
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';
import type { UsageBackend } from '../store/usage-backend';

export function getClientUsage(deps: Pick<Deps, 'clients' | 'clock' | 'defaultQuota'>, usage: () => UsageBackend): Operation {
  return async (req) => {
    const name = parseClientName(req.params.clientName);
    const record = await deps.clients.get(name, true);
    if (!record) throw new NotFoundError('No such client');
    const quota = effectiveQuota(record.quota, deps.defaultQuota);
    const report = await usage().usage(name, record.apiKey, quota, deps.clock());
    return { status: 200, body: report };
  };
}
