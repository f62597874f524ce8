/** POST /admin/clients and GET /admin/clients/{clientName}. */
import { configuredScopes, parseClientName, parseClientSettings } from '../core/client-settings';
import { NotFoundError } from '../core/errors';
import type { ClientRecord } from '../store/client-store';
import { effectiveQuota } from '../core/quota';
import { newApiKey } from '../store/api-key-store';
import type { ProvisionedKey, UsageBackend } from '../store/usage-backend';
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';

/** What an operator may see of a client: everything but secrets. */
export function clientView(record: ClientRecord, nowMs: number): Record<string, unknown> {
  const { secrets, keys, version: _v, apiKey, ...settings } = record;
  const nowS = Math.floor(nowMs / 1000);
  return {
    ...settings,
    scopes: configuredScopes(record.scopes),
    ...(record.revokedBefore !== undefined ? { revokedBefore: new Date(record.revokedBefore * 1000).toISOString() } : {}),
    secrets: secrets.map((s) => ({
      createdAt: s.createdAt,
      ...(s.validUntil !== undefined ? { validUntil: new Date(s.validUntil * 1000).toISOString(), active: s.validUntil > nowS } : { active: true }),
    })),
    keys: keys ? { kind: keys.kind, updatedAt: keys.updatedAt, ...(keys.jwksUri ? { jwksUri: keys.jwksUri } : {}) } : null,
    // Never the value (shown once at creation), only that it exists.
    apiKey: apiKey ? { createdAt: apiKey.createdAt } : null,
  };
}

/**
 * Creates the profile (409 if the name exists), then the client's API key: registered with
 * the usage backend (AWS: key + usage plan), sealed on the profile with its lookup item. If
 * the key step fails, the profile is removed again, so a retry can succeed.
 */
export function createClient(deps: Pick<Deps, 'clients' | 'clock' | 'apiKeys' | 'defaultQuota'>, usage: () => UsageBackend): Operation {
  return async (req) => {
    const settings = parseClientSettings(req.json());
    const now = new Date(deps.clock());
    const { clientSecret } = await deps.clients.create(settings, now);
    const apiKey = newApiKey();
    const backend = usage();
    let provisioned: ProvisionedKey = {};
    try {
      provisioned = await backend.provision({
        clientName: settings.clientName,
        apiKey,
        quota: effectiveQuota(settings.quota, deps.defaultQuota),
      });
      await deps.apiKeys.attach(settings.clientName, await deps.apiKeys.seal(settings.clientName, apiKey, now, provisioned));
    } catch (err) {
      await backend.deprovision(provisioned);
      await deps.apiKeys.removeClient(settings.clientName).catch(() => undefined);
      throw err;
    }
    return { status: 201, body: { clientName: settings.clientName, clientSecret, apiKey } };
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
