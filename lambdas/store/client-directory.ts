/**
 * The verifier's view of clients (ClientDirectory), read from the client store and kept
 * in memory for a few seconds per warm container, so a burst of tokens of one client costs
 * one read. The authorizer result cache (60 s by default) is the documented bound on how
 * late a change bites; this cache adds at most CLIENT_CACHE_MS to it, and the handlers
 * re-check revocation without any cache.
 */
import { configuredScopes } from '../core/client-settings';
import type { ClientAuthView, ClientDirectory } from '../core/verify-token';
import { importJwks, importPem, type VerificationKey } from '../core/verification-key';
import type { ApiKeyStore } from './api-key-store';
import type { ClientRecord, ClientStore } from './client-store';

export const CLIENT_CACHE_MS = 5_000;

interface Entry {
  view: ClientAuthView | undefined;
  record: ClientRecord | undefined;
  keys?: VerificationKey[];
  at: number;
}

/** Fetches keys for a client whose keys live at a JWKS URL (through the JWKS cache, core/jwks-cache.ts). */
export interface RemoteKeyResolver {
  keysFor(clientName: string, jwksUri: string, kid: string | undefined): Promise<readonly VerificationKey[]>;
}

export class CachedClientDirectory implements ClientDirectory {
  private readonly entries = new Map<string, Entry>();
  /** Opened API keys by sealed value: a key never changes, so a warm container opens it once. */
  private readonly usageKeys = new Map<string, string>();
  /** The read in flight per client (see load()). */
  private readonly loading = new Map<string, Promise<Entry>>();

  constructor(
    private readonly store: ClientStore,
    private readonly clock: () => number = Date.now,
    private readonly remote?: RemoteKeyResolver,
    private readonly apiKeys?: ApiKeyStore,
  ) {}

  /**
   * The client's API key value, for the authorizer's `usageIdentifierKey` on an Allow. Read
   * from the same cached record the verifier just used, and opened only on an Allow, so a
   * Deny never costs a keyring call. Undefined for a client without a key.
   */
  async usageKey(clientName: string): Promise<string | undefined> {
    const stored = (this.fresh(clientName) ?? (await this.load(clientName))).record?.apiKey;
    if (!stored || !this.apiKeys) return undefined;
    let value = this.usageKeys.get(stored.sealed);
    if (value === undefined) {
      value = await this.apiKeys.open(clientName, stored);
      if (this.usageKeys.size > 10_000) this.usageKeys.clear();
      this.usageKeys.set(stored.sealed, value);
    }
    return value;
  }

  /**
   * The client's stored record from the same cache (quota, tier, createdAt, disabled): what the
   * handlers' quota counting needs, at most CLIENT_CACHE_MS old.
   */
  async record(clientName: string): Promise<ClientRecord | undefined> {
    return (this.fresh(clientName) ?? (await this.load(clientName))).record;
  }

  get(clientName: string): Promise<ClientAuthView | undefined> {
    // The warm path (every request of a known client) settles without another async hop.
    const hit = this.fresh(clientName);
    return hit ? Promise.resolve(hit.view) : this.load(clientName).then((e) => e.view);
  }

  async keysFor(client: ClientAuthView, kid: string | undefined): Promise<readonly VerificationKey[]> {
    const entry = this.fresh(client.clientName) ?? (await this.load(client.clientName));
    const registered = entry.record?.keys;
    if (!registered) return [];
    if (registered.kind === 'jwks_uri') {
      if (!this.remote || !registered.jwksUri) return [];
      return this.remote.keysFor(client.clientName, registered.jwksUri, kid);
    }
    // Imported once per cached record: key import is the costly part of verification.
    entry.keys ??= registered.kind === 'pem' ? [importPem(registered.pem)] : importJwks(registered.jwks, 'jwks');
    return kid === undefined ? entry.keys : entry.keys.filter((k) => k.kid === kid);
  }

  invalidate(clientName: string): void {
    this.entries.delete(clientName);
    // A read already in flight may predate the change: it must not refill the cache.
    this.loading.delete(clientName);
  }

  private fresh(clientName: string): Entry | undefined {
    const hit = this.entries.get(clientName);
    return hit && this.clock() - hit.at < CLIENT_CACHE_MS ? hit : undefined;
  }

  /**
   * One read per client at a time: when an entry expires under load, every concurrent
   * request would otherwise issue its own GetItem (and open the secrets) at once. The
   * result is cached only if that read is still the current one (not invalidated meanwhile).
   */
  private load(clientName: string): Promise<Entry> {
    const inFlight = this.loading.get(clientName);
    if (inFlight) return inFlight;
    const pending: Promise<Entry> = this.read(clientName).then(
      (entry) => {
        if (this.loading.get(clientName) === pending) {
          this.loading.delete(clientName);
          if (this.entries.size > 10_000) this.entries.clear();
          this.entries.set(clientName, entry);
        }
        return entry;
      },
      (error: unknown) => {
        if (this.loading.get(clientName) === pending) this.loading.delete(clientName);
        throw error;
      },
    );
    this.loading.set(clientName, pending);
    return pending;
  }

  private async read(clientName: string): Promise<Entry> {
    const now = this.clock();
    const record = await this.store.get(clientName);
    return { record, view: record ? await this.viewOf(record, now) : undefined, at: now };
  }

  private async viewOf(record: ClientRecord, nowMs: number): Promise<ClientAuthView> {
    const view: ClientAuthView = {
      clientName: record.clientName,
      scopes: configuredScopes(record.scopes),
      policy: {
        requiredClaims: record.requiredClaims ?? [],
        ...(record.audience !== undefined ? { audience: record.audience } : {}),
        ...(record.maxTokenLifetimeSeconds !== undefined ? { maxTokenLifetimeSeconds: record.maxTokenLifetimeSeconds } : {}),
      },
      hmacSecrets: await this.store.openSecrets(record, Math.floor(nowMs / 1000)),
    };
    if (record.revokedBefore !== undefined) view.revokedBefore = record.revokedBefore;
    return view;
  }
}
