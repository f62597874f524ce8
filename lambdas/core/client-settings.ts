/**
 * A client's settings as the operator API stores and shows them; the bodies that set them are
 * declared in core/schemas/client.ts.
 */
import type { RequirableClaim } from './claims';
import { CLIENT_NAME_RULE, isClientName } from './client-name';
import { InvalidRequestError } from './errors';

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

/** Path parameters and bodies name clients by this rule (core/client-name.ts). */
export function parseClientName(v: unknown): string {
  if (!isClientName(v)) throw new InvalidRequestError(`clientName must be ${CLIENT_NAME_RULE}`);
  return v;
}
