/**
 * Keys of clients that publish a JWKS URL, cached per URL the way careful verifiers do
 * (contract, "Caller authentication"; cf. aws-jwt-verify's penalty box):
 *  - a fetched JWKS is trusted for its `Cache-Control: max-age`, clamped to 5 min .. 24 h;
 *  - a `kid` the cached set lacks triggers at most one refetch per URL per 30 s, so a flood
 *    of random kids costs the tenant's server two requests a minute, not one per token;
 *  - when the URL fails, the last good keys keep serving for up to 24 h past their
 *    freshness, and failed fetches are not retried more than once per 30 s either;
 *  - keys are imported into KeyObjects once per distinct document.
 * Pure: the fetcher and the clock come in, so tests drive time and the network.
 */
import { ServiceUnavailableError } from './errors';
import { importJwk, type VerificationKey } from './verification-key';

export const JWKS_MIN_TTL_SECONDS = 5 * 60;
export const JWKS_MAX_TTL_SECONDS = 24 * 60 * 60;
export const JWKS_REFETCH_COOLDOWN_SECONDS = 30;
export const JWKS_MAX_STALE_SECONDS = 24 * 60 * 60;
/** A remote document may list more keys than we accept inline; unusable ones are skipped. */
const MAX_REMOTE_KEYS = 100;
const MAX_URLS = 1_000;

export interface JwksDocument {
  /** The parsed JSON body. */
  body: unknown;
  /** Cache-Control max-age of the response, if it had one. */
  maxAgeSeconds?: number;
}

export type JwksFetcher = (url: string) => Promise<JwksDocument>;

interface UrlState {
  keys?: VerificationKey[];
  /** Canonical text of the document the keys came from (import once per document). */
  text?: string;
  /** ms: until when the keys are fresh. */
  freshUntil?: number;
  /** ms: last time a fetch was started, for the cool-down. */
  lastAttempt?: number;
  lastError?: unknown;
  inFlight?: Promise<void>;
}

export function clampMaxAge(maxAge: number | undefined): number {
  if (maxAge === undefined || !Number.isFinite(maxAge)) return JWKS_MIN_TTL_SECONDS;
  return Math.min(JWKS_MAX_TTL_SECONDS, Math.max(JWKS_MIN_TTL_SECONDS, Math.floor(maxAge)));
}

/**
 * A remote JWKS is the tenant's live document, and may carry keys we cannot use (an
 * encryption key, an OKP key): those are skipped instead of failing the whole set.
 * Registration validates the document strictly (importJwks) so the operator learns early.
 */
export function importRemoteJwks(body: unknown): VerificationKey[] {
  const keys = body !== null && typeof body === 'object' ? (body as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) throw new Error('JWKS document has no keys array');
  const out: VerificationKey[] = [];
  for (const jwk of keys.slice(0, MAX_REMOTE_KEYS)) {
    try {
      out.push(importJwk(jwk, 'jwks_uri'));
    } catch {
      // Unusable key: skipped (see above).
    }
  }
  if (out.length === 0) throw new Error('JWKS document has no usable signing key');
  return out;
}

export class JwksCache {
  private readonly urls = new Map<string, UrlState>();

  constructor(
    private readonly fetcher: JwksFetcher,
    private readonly clock: () => number = Date.now,
  ) {}

  /** RemoteKeyResolver (store/client-directory.ts): the keys at `url` that match `kid`. */
  async keysFor(_clientName: string, url: string, kid: string | undefined): Promise<readonly VerificationKey[]> {
    const state = this.state(url);
    const now = this.clock();
    const fresh = state.keys !== undefined && state.freshUntil !== undefined && now < state.freshUntil;
    if (!fresh) {
      await this.refresh(url, state, now);
    } else if (kid !== undefined && !matches(state.keys, kid).length) {
      // Unknown kid in a fresh set: perhaps the tenant just rotated. One try per cool-down.
      await this.refresh(url, state, now);
    }
    const keys = this.usableKeys(state, this.clock());
    return kid === undefined ? keys : matches(keys, kid);
  }

  /** Drops what is cached for a URL (a client registered new keys). */
  forget(url: string): void {
    this.urls.delete(url);
  }

  private state(url: string): UrlState {
    let s = this.urls.get(url);
    if (!s) {
      if (this.urls.size >= MAX_URLS) {
        const oldest = this.urls.keys().next().value;
        if (oldest !== undefined) this.urls.delete(oldest);
      }
      s = {};
      this.urls.set(url, s);
    }
    return s;
  }

  /** Fetches unless a fetch ran within the cool-down; concurrent callers share one fetch. */
  private async refresh(url: string, state: UrlState, now: number): Promise<void> {
    if (state.inFlight) return state.inFlight;
    if (state.lastAttempt !== undefined && now - state.lastAttempt < JWKS_REFETCH_COOLDOWN_SECONDS * 1000) return;
    state.lastAttempt = now;
    state.inFlight = (async () => {
      try {
        const doc = await this.fetcher(url);
        const text = JSON.stringify(doc.body);
        if (state.keys === undefined || state.text !== text) {
          state.keys = importRemoteJwks(doc.body);
          state.text = text;
        }
        const at = this.clock();
        state.freshUntil = at + clampMaxAge(doc.maxAgeSeconds) * 1000;
        delete state.lastError;
      } catch (err) {
        state.lastError = err;
      } finally {
        delete state.inFlight;
      }
    })();
    return state.inFlight;
  }

  /** The cached keys until 24 h past their freshness; after that the URL counts as down. */
  private usableKeys(state: UrlState, now: number): VerificationKey[] {
    if (state.keys !== undefined && state.freshUntil !== undefined && now - state.freshUntil <= JWKS_MAX_STALE_SECONDS * 1000) {
      return state.keys;
    }
    if (state.keys !== undefined) {
      delete state.keys;
      delete state.text;
    }
    // Fail closed: no keys we may trust, and the tenant's server does not answer.
    throw new ServiceUnavailableError("The client's JWKS URL is unavailable", { cause: state.lastError });
  }
}

function matches(keys: readonly VerificationKey[] | undefined, kid: string): VerificationKey[] {
  return (keys ?? []).filter((k) => k.kid === kid);
}
