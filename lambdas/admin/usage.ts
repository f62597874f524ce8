/** GET /admin/clients/{clientName}/usage: the client's and the deployment's use, from the counters. */
import { parseClientName } from '../core/client-settings';
import { NotFoundError } from '../core/errors';
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';
import { readUsage } from '../runtime/quota-meter';

export function getClientUsage(deps: Pick<Deps, 'clients' | 'clock' | 'quotaConfig' | 'usageCounters'>): Operation {
  return async (req) => {
    const name = parseClientName(req.params.clientName);
    const record = await deps.clients.get(name, true);
    if (!record) throw new NotFoundError('No such client');
    return { status: 200, body: await readUsage(deps, record) };
  };
}
