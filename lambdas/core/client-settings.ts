/**
 * A client's settings as the operator API accepts and shows them, validated here
 * once so every route (operator and, later, self-service) shares the rules.
 */
import { REQUIRABLE_CLAIMS, type RequirableClaim } from './claims';
import { InvalidRequestError } from './errors';

export const CLIENT_NAME_PATTERN = /^[a-z0-9-]{3,64}$/;
export const QUOTA_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

/** A request quota per UTC period. Throttling (rate, burst) is not here: it comes from the client's tier. */
export interface QuotaSettings {
  limit: number;
  period: QuotaPeriod;
}

export interface ClientSettings {
  clientName: string;
  scopes?: string[];
  requiredClaims: RequirableClaim[];
  maxTokenLifetimeSeconds?: number;
  audience?: string;
  quota?: QuotaSettings;
  /** One of the stage's throttle tiers (checked against the stage's config by the route); absent: `default`. */
  tier?: string;
  /** A disabled client's tokens and API key are refused and /authtoken answers invalid_client. */
  disabled?: boolean;
}

/** What PATCH /admin/clients/{clientName} may change; `null` removes an optional setting. */
export interface ClientUpdate {
  tier?: string;
  quota?: QuotaSettings | null;
  scopes?: string[];
  requiredClaims?: RequirableClaim[];
  maxTokenLifetimeSeconds?: number | null;
  audience?: string | null;
  disabled?: boolean;
}

const SCOPE = /^[A-Za-z0-9:._\-/]{1,64}$/;

/**
 * What a client created without `scopes` gets. `settings` (a client's own keys, secret and
 * revocations) is only ever granted explicitly.
 */
export const DEFAULT_CLIENT_SCOPES: readonly string[] = ['read', 'write'];

/**
 * A client's configured scopes. Clients stored before every client had a list (their records
 * carry none) read as DEFAULT_CLIENT_SCOPES: the one place that default is applied on read.
 */
export function configuredScopes(scopes: readonly string[] | undefined): string[] {
  return [...(scopes ?? DEFAULT_CLIENT_SCOPES)];
}

function fail(message: string): never {
  throw new InvalidRequestError(message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function positiveInt(v: unknown, name: string, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) fail(`${name} must be an integer from 1 to ${max}`);
  return v;
}

export function parseClientName(v: unknown): string {
  if (typeof v !== 'string' || !CLIENT_NAME_PATTERN.test(v)) fail('clientName must be 3-64 characters of [a-z0-9-]');
  return v;
}

/** Client-level throttle fields, refused wherever they appear: throttling comes from tiers. */
const THROTTLE_FIELDS = ['rateLimit', 'burstLimit'];
const throttleOnClient = (field: string): never =>
  fail(`${field} cannot be set on a client: throttling comes from the client's tier (set "tier" to one of the stage's tiers)`);

export function parseQuota(v: unknown, field = 'quota'): QuotaSettings {
  if (!isObject(v)) fail(`${field} must be an object {"limit", "period"}`);
  for (const k of Object.keys(v)) {
    if (THROTTLE_FIELDS.includes(k)) throttleOnClient(`${field}.${k}`);
    if (k !== 'limit' && k !== 'period') fail(`${field}.${k} is not a quota field (expected limit and period)`);
  }
  const period = v.period;
  if (typeof period !== 'string' || !(QUOTA_PERIODS as readonly string[]).includes(period)) fail(`${field}.period must be DAY, WEEK or MONTH`);
  return { limit: positiveInt(v.limit, `${field}.limit`, 1e12), period: period as QuotaPeriod };
}

const TIER = /^[a-z0-9][a-z0-9-]{0,31}$/;

export function parseTier(v: unknown): string {
  if (typeof v !== 'string' || !TIER.test(v)) fail('tier must be the name of one of the stage\'s tiers ([a-z0-9-], at most 32)');
  return v;
}

function parseScopes(v: unknown): string[] {
  if (!Array.isArray(v) || v.length > 50 || !v.every((s) => typeof s === 'string' && SCOPE.test(s))) {
    fail('scopes must be an array of at most 50 scope strings');
  }
  return [...new Set(v as string[])];
}

function parseRequiredClaims(v: unknown): RequirableClaim[] {
  if (!Array.isArray(v) || !v.every((c) => (REQUIRABLE_CLAIMS as readonly unknown[]).includes(c))) {
    fail(`requiredClaims must be an array of ${REQUIRABLE_CLAIMS.join(', ')}`);
  }
  return [...new Set(v as RequirableClaim[])];
}

const parseLifetime = (v: unknown): number => positiveInt(v, 'maxTokenLifetimeSeconds', 31_536_000);

function parseAudience(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 256) fail('audience must be a string');
  return v;
}

function checkFields(body: Record<string, unknown>, known: readonly string[]): void {
  for (const k of Object.keys(body)) {
    if (THROTTLE_FIELDS.includes(k)) throttleOnClient(k);
    if (!known.includes(k)) fail(`unknown field ${k}`);
  }
}

export function parseClientSettings(body: unknown): ClientSettings {
  if (!isObject(body)) fail('body must be a JSON object');
  checkFields(body, ['clientName', 'scopes', 'requiredClaims', 'maxTokenLifetimeSeconds', 'audience', 'quota', 'tier']);
  const settings: ClientSettings = { clientName: parseClientName(body.clientName), requiredClaims: [] };
  settings.scopes = body.scopes !== undefined ? parseScopes(body.scopes) : configuredScopes(undefined);
  if (body.requiredClaims !== undefined) settings.requiredClaims = parseRequiredClaims(body.requiredClaims);
  if (body.maxTokenLifetimeSeconds !== undefined) settings.maxTokenLifetimeSeconds = parseLifetime(body.maxTokenLifetimeSeconds);
  if (body.audience !== undefined) settings.audience = parseAudience(body.audience);
  if (body.quota !== undefined) settings.quota = parseQuota(body.quota);
  if (body.tier !== undefined) settings.tier = parseTier(body.tier);
  return settings;
}

/** PATCH body: at least one field; `quota`, `audience` and `maxTokenLifetimeSeconds` take `null` to remove. */
export function parseClientUpdate(body: unknown): ClientUpdate {
  if (!isObject(body)) fail('body must be a JSON object');
  checkFields(body, ['tier', 'quota', 'scopes', 'requiredClaims', 'maxTokenLifetimeSeconds', 'audience', 'disabled']);
  if (Object.keys(body).length === 0) fail('body must name at least one setting to change');
  const update: ClientUpdate = {};
  if (body.tier !== undefined) update.tier = parseTier(body.tier);
  if (body.quota !== undefined) update.quota = body.quota === null ? null : parseQuota(body.quota);
  if (body.scopes !== undefined) update.scopes = parseScopes(body.scopes);
  if (body.requiredClaims !== undefined) update.requiredClaims = parseRequiredClaims(body.requiredClaims);
  if (body.maxTokenLifetimeSeconds !== undefined) {
    update.maxTokenLifetimeSeconds = body.maxTokenLifetimeSeconds === null ? null : parseLifetime(body.maxTokenLifetimeSeconds);
  }
  if (body.audience !== undefined) update.audience = body.audience === null ? null : parseAudience(body.audience);
  if (body.disabled !== undefined) {
    if (typeof body.disabled !== 'boolean') fail('disabled must be true or false');
    update.disabled = body.disabled;
  }
  return update;
}
