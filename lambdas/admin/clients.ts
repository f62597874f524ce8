/** The client lifecycle of the operator API: POST, GET, PATCH and DELETE /admin/clients/{clientName}. */
import { configuredScopes, parseClientName } from '../core/client-settings';
import { parseClientSettings, parseClientUpdate } from '../core/schemas/client';
import { InvalidRequestError, NotFoundError } from '../core/errors';
import { clientCounterShards, DEFAULT_TIER, tierOf, type StageQuotaConfig } from '../core/quota';
import { newApiKey } from '../store/api-key-store';
import type { ApiKeyProvisioner, ProvisionedKey } from '../store/api-key-provisioner';
import { authLogPartition } from '../store/auth-log-store';
import type { ClientRecord } from '../store/client-store';
import { deletePartition } from '../store/partition';
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';
import { logger } from '../runtime/logger';

/** What an operator may see of a client: everything but secrets. */
export function clientView(record: ClientRecord, nowMs: number): Record<string, unknown> {
  const { secrets, keys, version: _v, apiKey, ...settings } = record;
  const nowS = Math.floor(nowMs / 1000);
  return {
    ...settings,
    scopes: configuredScopes(record.scopes),
    tier: record.tier ?? DEFAULT_TIER,
    quota: record.quota ?? null,
    disabled: record.disabled === true,
    ...(record.revokedBefore !== undefined ? { revokedBefore: new Date(record.revokedBefore * 1000).toISOString() } : {}),
    secrets: secrets.map((s) => ({
      createdAt: s.createdAt,
      ...(s.validUntil !== undefined
        ? { validUntil: new Date(s.validUntil * 1000).toISOString(), active: s.validUntil > nowS }
        : { active: true }),
    })),
    keys: keys ? { kind: keys.kind, updatedAt: keys.updatedAt, ...(keys.jwksUri ? { jwksUri: keys.jwksUri } : {}) } : null,
    // Never the value (shown once at creation), only that it exists.
    apiKey: apiKey ? { createdAt: apiKey.createdAt } : null,
  };
}

/** 400 naming the field when the stage has no such tier. */
export function checkTier(config: StageQuotaConfig, tier: string | undefined): void {
  if (tier !== undefined && !tierOf(config, tier)) {
    throw new InvalidRequestError(`tier: unknown tier "${tier}"; this stage's tiers are ${Object.keys(config.tiers).sort().join(', ')}`);
  }
}

type LifecycleDeps = Pick<Deps, 'clients' | 'clientDirectory' | 'clock' | 'apiKeys' | 'quotaConfig' | 'usageCounters' | 'doc' | 'env'>;

/**
 * Creates the profile (409 if the name exists), then the client's API key: registered with API
 * Gateway and attached to its tier's usage plan (AWS), sealed on the profile with its lookup
 * item. If a step fails, the earlier ones are undone (key deleted, profile removed), so nothing
 * is left half-made and a retry can succeed; the failure is answered, never swallowed.
 */
export function createClient(deps: LifecycleDeps, provisioner: () => ApiKeyProvisioner): Operation {
  return async (req) => {
    const settings = parseClientSettings(req.json());
    checkTier(deps.quotaConfig, settings.tier);
    const now = new Date(deps.clock());
    const { clientSecret } = await deps.clients.create(settings, now);
    const apiKey = newApiKey();
    const keys = provisioner();
    let provisioned: ProvisionedKey | undefined;
    try {
      provisioned = await keys.create({ clientName: settings.clientName, apiKey, tier: settings.tier ?? DEFAULT_TIER });
      await deps.apiKeys.attach(settings.clientName, await deps.apiKeys.seal(settings.clientName, apiKey, now, provisioned));
    } catch (err) {
      const undo = await Promise.allSettled([
        provisioned ? keys.remove(provisioned, settings.tier ?? DEFAULT_TIER) : Promise.resolve(),
        deps.clients.discard(settings.clientName),
      ]);
      for (const u of undo)
        if (u.status === 'rejected')
          logger.error('undo of a failed client creation failed', { clientName: settings.clientName, error: String(u.reason) });
      throw err;
    }
    // A name deleted a moment ago may be cached as "no such client" (or as the old client).
    deps.clientDirectory.invalidate(settings.clientName);
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

/**
 * PATCH: changes settings with optimistic concurrency (ClientStore.update). A tier change moves
 * the API key to the new tier's plan first; if the profile write then fails, the key is moved
 * back. Takes effect within the authorizer cache TTL (plus the client cache of a few seconds).
 */
export function updateClient(deps: LifecycleDeps, provisioner: () => ApiKeyProvisioner): Operation {
  return async (req) => {
    const name = parseClientName(req.params.clientName);
    const update = parseClientUpdate(req.json());
    checkTier(deps.quotaConfig, update.tier);
    const before = await deps.clients.get(name, true);
    if (!before) throw new NotFoundError('No such client');
    const fromTier = before.tier ?? DEFAULT_TIER;
    const toTier = update.tier ?? fromTier;
    const keys = provisioner();
    if (before.apiKey && toTier !== fromTier) await keys.move(before.apiKey, fromTier, toTier);
    let record: ClientRecord;
    try {
      record = await deps.clients.update(name, (r) => {
        if (update.tier !== undefined) r.tier = update.tier;
        if (update.quota === null) delete r.quota;
        else if (update.quota !== undefined) r.quota = update.quota;
        if (update.scopes !== undefined) r.scopes = update.scopes;
        if (update.requiredClaims !== undefined) r.requiredClaims = update.requiredClaims;
        if (update.maxTokenLifetimeSeconds === null) delete r.maxTokenLifetimeSeconds;
        else if (update.maxTokenLifetimeSeconds !== undefined) r.maxTokenLifetimeSeconds = update.maxTokenLifetimeSeconds;
        if (update.audience === null) delete r.audience;
        else if (update.audience !== undefined) r.audience = update.audience;
        if (update.disabled !== undefined) r.disabled = update.disabled;
        r.updatedAt = new Date(deps.clock()).toISOString();
      });
    } catch (err) {
      if (before.apiKey && toTier !== fromTier) {
        await keys
          .move(before.apiKey, toTier, fromTier)
          .catch((undoErr: unknown) =>
            logger.error('moving the api key back after a failed update failed', { clientName: name, error: String(undoErr) }),
          );
      }
      throw err;
    }
    deps.clientDirectory.invalidate(name);
    return { status: 200, body: clientView(record, deps.clock()) };
  };
}

/**
 * DELETE: the API key first (detached from its plan and deleted in AWS), then the table's items
 * of the client — key lookup, usage counters, authentication-failure log and lock-out window —
 * and the profile last, so a failure midway (503) leaves a client that a retried DELETE finishes.
 * Kept: the client's user events (the tenant's records, until their own retention ends), and a
 * DELETED marker holding only the deletion time (what makes a later client of the same name
 * refuse the old tokens). By TTL: launch tokens within a day, /authtoken lock-out windows within
 * 15 minutes, jti revocations when the tokens they name expire.
 */
export function deleteClient(deps: LifecycleDeps, provisioner: () => ApiKeyProvisioner): Operation {
  return async (req) => {
    const name = parseClientName(req.params.clientName);
    const record = await deps.clients.get(name, true);
    if (!record) throw new NotFoundError('No such client');
    if (record.apiKey) {
      await provisioner().remove(record.apiKey, record.tier ?? DEFAULT_TIER);
      await deps.apiKeys.removeLookup(record.apiKey.sha256);
    }
    await deps.usageCounters.removeClient(name, clientCounterShards(deps.quotaConfig));
    await deletePartition(deps.doc, deps.env.TABLE_NAME, authLogPartition(name));
    await deps.clients.remove(name, new Date(deps.clock()));
    deps.clientDirectory.invalidate(name);
    return { status: 204 };
  };
}
