/**
 * GET /v1/{clientName}/catalog: the tenant's sessions as public summaries, paged. Reached
 * with a JWT or with the client's API key (auth `jwt-or-api-key`); either way the caller's
 * client must be the one in the path: 403 otherwise, the same whether or not that name exists.
 */
import { encodeCursor, parseCatalogQuery } from '../core/catalog';
import { InsufficientPermissionsError } from '../core/errors';
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';

export function listCatalog(deps: Pick<Deps, 'workoutSessions'>): Operation {
  return async (req) => {
    const clientName = req.caller?.clientName ?? req.apiKeyClient;
    if (!clientName) throw new Error('listCatalog needs an authenticated caller');
    if (req.params.clientName !== clientName) throw new InsufficientPermissionsError('This path belongs to another client');
    const page = await deps.workoutSessions.catalog.page(parseCatalogQuery(req.query));
    return {
      status: 200,
      body: { items: page.items, nextCursor: page.lastId === undefined ? null : encodeCursor(page.lastId) },
      // Per client and per credential: no shared cache may keep it.
      headers: { 'Cache-Control': 'no-store, private' },
    };
  };
}
