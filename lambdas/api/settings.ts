/**
 * /v1/settings/...: a client's own settings, for its engineers (scope `settings`). The client
 * is always the caller's clientName from the authorizer context: no route takes a client
 * name from the path or the body, so no request can reach another client's settings.
 * The rules (key validation, secret rotation, revocation) are the operator API's, shared
 * through core/ and store/.
 */
import { configuredScopes } from '../core/client-settings';
import { NotFoundError } from '../core/errors';
import type { VerificationKey } from '../core/verification-key';
import type { Deps } from '../runtime/deps';
import { callerOf, type Operation } from '../runtime/http';
import { AUTH_LOG_RETENTION_SECONDS } from '../store/auth-log-store';
import type { ClientRecord } from '../store/client-store';

/** How many of the newest failures the answer lists one by one (the counts cover more). */
export const RECENT_FAILURES_LISTED = 50;

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

async function ownRecord(deps: Pick<Deps, 'clients'>, clientName: string): Promise<ClientRecord> {
  const record = await deps.clients.get(clientName, true);
  // The token verified a moment ago; the client was deleted in between.
  if (!record) throw new NotFoundError('No such client');
  return record;
}

export function describeKey(k: VerificationKey): { kid: string | null; algs: string[]; source: string } {
  return { kid: k.kid ?? null, algs: [...k.algs], source: k.source };
}

/**
 * The client's settings, built from an allow-list of fields: whatever else a record holds
 * (sealed secrets, a sealed API key, fields added later) never reaches the answer.
 */
export function settingsView(
  record: ClientRecord,
  keys: readonly VerificationKey[],
  stage: string,
  nowMs: number,
): Record<string, unknown> {
  const nowS = Math.floor(nowMs / 1000);
  return {
    clientName: record.clientName,
    stage,
    scopes: configuredScopes(record.scopes),
    requiredClaims: record.requiredClaims ?? [],
    audience: record.audience ?? null,
    maxTokenLifetimeSeconds: record.maxTokenLifetimeSeconds ?? null,
    quota: record.quota ?? null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    revokedBefore: record.revokedBefore === undefined ? null : iso(record.revokedBefore),
    secrets: record.secrets.map((s) => ({
      createdAt: s.createdAt,
      ...(s.validUntil !== undefined ? { validUntil: iso(s.validUntil), active: s.validUntil > nowS } : { active: true }),
    })),
    keys: record.keys
      ? {
          kind: record.keys.kind,
          updatedAt: record.keys.updatedAt,
          ...(record.keys.jwksUri ? { jwksUri: record.keys.jwksUri } : {}),
          keys: keys.map(describeKey),
        }
      : null,
  };
}

export function getSettings(deps: Pick<Deps, 'clients' | 'clientDirectory' | 'clock' | 'env'>): Operation {
  return async (req) => {
    const { clientName } = callerOf(req);
    const record = await ownRecord(deps, clientName);
    // Through the verifier's directory: for a JWKS URL these are the keys it would verify with now.
    const view = record.keys ? await deps.clientDirectory.get(clientName) : undefined;
    const keys = view ? await deps.clientDirectory.keysFor(view, undefined) : [];
    return { status: 200, body: settingsView(record, keys, deps.env.STAGE, deps.clock()) };
  };
}

export function getSettingsAuthFailures(deps: Pick<Deps, 'authLog' | 'clients' | 'clock'>): Operation {
  return async (req) => {
    const { clientName } = callerOf(req);
    const record = await ownRecord(deps, clientName);
    const entries = await deps.authLog.recent(clientName, undefined, record.createdAt);
    const byReason: Record<string, number> = {};
    for (const e of entries) byReason[e.reason] = (byReason[e.reason] ?? 0) + 1;
    return {
      status: 200,
      body: {
        since: new Date(deps.clock() - AUTH_LOG_RETENTION_SECONDS * 1000).toISOString(),
        counted: entries.length,
        byReason,
        recent: entries.slice(0, RECENT_FAILURES_LISTED),
      },
    };
  };
}
