/**
 * A client's settings as the operator API accepts and shows them, validated here
 * once so every route (operator and, later, self-service) shares the rules.
 */
import { REQUIRABLE_CLAIMS, type RequirableClaim } from './claims';
import { InvalidRequestError } from './errors';

export const CLIENT_NAME_PATTERN = /^[a-z0-9-]{3,64}$/;
export const QUOTA_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

export interface QuotaSettings {
  limit: number;
  period: QuotaPeriod;
  rateLimit?: number;
  burstLimit?: number;
}

export interface ClientSettings {
  clientName: string;
  scopes?: string[];
  requiredClaims: RequirableClaim[];
  maxTokenLifetimeSeconds?: number;
  audience?: string;
  quota?: QuotaSettings;
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

export function parseQuota(v: unknown): QuotaSettings {
  if (!isObject(v)) fail('quota must be an object');
  const period = v.period;
  if (typeof period !== 'string' || !(QUOTA_PERIODS as readonly string[]).includes(period)) fail('quota.period must be DAY, WEEK or MONTH');
  const q: QuotaSettings = { limit: positiveInt(v.limit, 'quota.limit', 1e12), period: period as QuotaPeriod };
  if (v.rateLimit !== undefined) q.rateLimit = positiveInt(v.rateLimit, 'quota.rateLimit', 1e6);
  if (v.burstLimit !== undefined) q.burstLimit = positiveInt(v.burstLimit, 'quota.burstLimit', 1e6);
  return q;
}

export function parseClientSettings(body: unknown): ClientSettings {
  if (!isObject(body)) fail('body must be a JSON object');
  const known = ['clientName', 'scopes', 'requiredClaims', 'maxTokenLifetimeSeconds', 'audience', 'quota'];
  const unknown = Object.keys(body).filter((k) => !known.includes(k));
  if (unknown.length > 0) fail(`unknown field ${unknown[0]}`);
  const settings: ClientSettings = { clientName: parseClientName(body.clientName), requiredClaims: [] };
  if (body.scopes !== undefined) {
    if (!Array.isArray(body.scopes) || body.scopes.length > 50 || !body.scopes.every((s) => typeof s === 'string' && SCOPE.test(s))) {
      fail('scopes must be an array of at most 50 scope strings');
    }
    settings.scopes = [...new Set(body.scopes as string[])];
  } else {
    settings.scopes = configuredScopes(undefined);
  }
  if (body.requiredClaims !== undefined) {
    if (!Array.isArray(body.requiredClaims) || !body.requiredClaims.every((c) => (REQUIRABLE_CLAIMS as readonly unknown[]).includes(c))) {
      fail(`requiredClaims must be an array of ${REQUIRABLE_CLAIMS.join(', ')}`);
    }
    settings.requiredClaims = [...new Set(body.requiredClaims as RequirableClaim[])];
  }
  if (body.maxTokenLifetimeSeconds !== undefined) {
    settings.maxTokenLifetimeSeconds = positiveInt(body.maxTokenLifetimeSeconds, 'maxTokenLifetimeSeconds', 31_536_000);
  }
  if (body.audience !== undefined) {
    if (typeof body.audience !== 'string' || body.audience.length === 0 || body.audience.length > 256) fail('audience must be a string');
    settings.audience = body.audience;
  }
  if (body.quota !== undefined) settings.quota = parseQuota(body.quota);
  return settings;
}
