/**
 * The operator API's client bodies: POST /admin/clients and PATCH /admin/clients/{clientName}.
 * Types and defaults live in core/client-settings.ts (the authorizer reads those, never these).
 */
import * as v from 'valibot';
import { REQUIRABLE_CLAIMS } from '../claims';
import { CLIENT_NAME_PATTERN, CLIENT_NAME_RULE } from '../client-name';
import { configuredScopes, QUOTA_PERIODS, type ClientSettings, type ClientUpdate } from '../client-settings';
import { integer, parseInput } from './validate';

const CLIENT_NAME_TEXT = `must be ${CLIENT_NAME_RULE}`;
export const ClientName = v.pipe(
  v.string(CLIENT_NAME_TEXT),
  v.regex(CLIENT_NAME_PATTERN, CLIENT_NAME_TEXT),
  v.description(`the client's name: ${CLIENT_NAME_RULE}`),
);

const SCOPE = /^[A-Za-z0-9:._\-/]{1,64}$/;
const SCOPES_TEXT = 'must be an array of at most 50 scope strings';
const SCOPE_TEXT = 'must be a scope: 1-64 of [A-Za-z0-9:._-/]';
const Scopes = v.pipe(v.array(v.pipe(v.string(SCOPE_TEXT), v.regex(SCOPE, SCOPE_TEXT)), SCOPES_TEXT), v.maxLength(50, SCOPES_TEXT));

const CLAIMS_TEXT = `must be an array of ${REQUIRABLE_CLAIMS.join(', ')}`;
const RequiredClaims = v.array(v.picklist(REQUIRABLE_CLAIMS, `must be one of ${REQUIRABLE_CLAIMS.join(', ')}`), CLAIMS_TEXT);

const MaxTokenLifetime = integer(1, 31_536_000);
const AUDIENCE_TEXT = 'must be a string of 1 to 256 characters';
const Audience = v.pipe(v.string(AUDIENCE_TEXT), v.minLength(1, AUDIENCE_TEXT), v.maxLength(256, AUDIENCE_TEXT));

const TIER_TEXT = "must be the name of one of the stage's tiers ([a-z0-9-], at most 32)";
export const Tier = v.pipe(
  v.string(TIER_TEXT),
  v.regex(/^[a-z0-9][a-z0-9-]{0,31}$/, TIER_TEXT),
  v.description("one of the stage's throttle tiers (tenant config); `default` when absent"),
  v.metadata({ examples: ['default'] }),
);

export const Quota = v.pipe(
  v.strictObject({
    limit: integer(1, 1e12),
    period: v.pipe(v.picklist(QUOTA_PERIODS, 'must be DAY, WEEK or MONTH'), v.description('UTC; a WEEK starts on Sunday')),
  }),
  v.description("requests per period, counted by the gateway; throttling (rate, burst) comes from the client's tier, never from here"),
);

/** Client-level throttle fields, refused wherever they appear: throttling comes from tiers. */
const THROTTLE_FIELDS = ['rateLimit', 'burstLimit'];
const unknownField = (field: string): string =>
  THROTTLE_FIELDS.includes(field.split('.').at(-1) ?? '')
    ? `${field} cannot be set on a client: throttling comes from the client's tier (set "tier" to one of the stage's tiers)`
    : `unknown field ${field}`;

export const CreateClientRequest = v.pipe(
  v.strictObject({
    clientName: ClientName,
    scopes: v.optional(v.pipe(Scopes, v.description('default: read, write'))),
    requiredClaims: v.optional(RequiredClaims),
    maxTokenLifetimeSeconds: v.optional(MaxTokenLifetime),
    audience: v.optional(Audience),
    quota: v.optional(Quota),
    tier: v.optional(Tier),
  }),
  v.description('`rateLimit`/`burstLimit` are refused (400): throttling comes from tiers'),
);

const UPDATE_EMPTY = 'must name at least one setting to change';
export const UpdateClientRequest = v.pipe(
  v.strictObject({
    tier: v.optional(Tier),
    quota: v.optional(v.nullable(Quota)),
    scopes: v.optional(Scopes),
    requiredClaims: v.optional(RequiredClaims),
    maxTokenLifetimeSeconds: v.optional(v.nullable(MaxTokenLifetime)),
    audience: v.optional(v.nullable(Audience)),
    disabled: v.optional(
      v.pipe(
        v.boolean('must be true or false'),
        v.description("a disabled client's tokens and API key are refused (401 invalid_token); /authtoken answers invalid_client"),
      ),
    ),
  }),
  v.minEntries(1, UPDATE_EMPTY),
  v.description('`null` removes quota, audience or maxTokenLifetimeSeconds'),
);

export function parseClientSettings(body: unknown): ClientSettings {
  const b = parseInput(CreateClientRequest, body, { unknownField });
  const settings: ClientSettings = {
    clientName: b.clientName,
    requiredClaims: [],
    scopes: b.scopes ? [...new Set(b.scopes)] : configuredScopes(undefined),
  };
  if (b.requiredClaims) settings.requiredClaims = [...new Set(b.requiredClaims)];
  if (b.maxTokenLifetimeSeconds !== undefined) settings.maxTokenLifetimeSeconds = b.maxTokenLifetimeSeconds;
  if (b.audience !== undefined) settings.audience = b.audience;
  if (b.quota !== undefined) settings.quota = b.quota;
  if (b.tier !== undefined) settings.tier = b.tier;
  return settings;
}

/** PATCH body: at least one field; `quota`, `audience` and `maxTokenLifetimeSeconds` take `null` to remove. */
export function parseClientUpdate(body: unknown): ClientUpdate {
  const b = parseInput(UpdateClientRequest, body, { unknownField });
  const update: ClientUpdate = {};
  if (b.tier !== undefined) update.tier = b.tier;
  if (b.quota !== undefined) update.quota = b.quota;
  if (b.scopes !== undefined) update.scopes = [...new Set(b.scopes)];
  if (b.requiredClaims !== undefined) update.requiredClaims = [...new Set(b.requiredClaims)];
  if (b.maxTokenLifetimeSeconds !== undefined) update.maxTokenLifetimeSeconds = b.maxTokenLifetimeSeconds;
  if (b.audience !== undefined) update.audience = b.audience;
  if (b.disabled !== undefined) update.disabled = b.disabled;
  return update;
}
