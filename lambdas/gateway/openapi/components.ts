/**
 * Shared JSON Schemas (OpenAPI 3.1 = JSON Schema 2020-12) of the contract's bodies
 * (the API contract; docs/integrators.md). Referenced by name from operations.ts.
 */
import * as v from 'valibot';
import { AuthTokenRequest } from '../../core/authenticate-client';
import { RevocationRequest, RotateSecretRequest, SettingsRevocationRequest } from '../../core/credential-requests';
import { PutKeysRequest } from '../../core/key-registration';
import { OAuthTokenRequest } from '../../core/oauth-request';
import { ClientName, CreateClientRequest, Quota, Tier, UpdateClientRequest } from '../../core/schemas/client';
import { GraphQLRequest, LaunchRequestSchema } from '../../core/schemas/sdk';
import { PutSessionRequest } from '../../core/schemas/session';
import { EventRequest } from '../../core/user-events';
import { RotateSigningKeyRequest } from '../../core/signing-key-rotation';
import { jsonSchemaOf, type JsonSchema } from './json-schema';

export type { JsonSchema } from './json-schema';

/** The rotation bodies are optional as a whole; the document says so on the operation, the schema is the object. */
const RotateSecretBody = v.unwrap(RotateSecretRequest);

const str = (description?: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...extra,
});
const isoTime = (description: string): JsonSchema => str(description, { format: 'date-time' });
const obj = (properties: Record<string, JsonSchema>, required: readonly string[] = [], extra: JsonSchema = {}): JsonSchema => ({
  type: 'object',
  properties,
  ...(required.length > 0 ? { required } : {}),
  ...extra,
});
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const clientName = jsonSchemaOf(ClientName);
const secret = str('256 bits of randomness, base64url; shown once', { pattern: '^[A-Za-z0-9_-]{43,}$' });
const quota = jsonSchemaOf(Quota);
const tier = jsonSchemaOf(Tier);
const usageOf = (what: string): JsonSchema =>
  obj(
    {
      used: { type: 'integer', description: `requests counted in ${what}'s current period` },
      limit: { type: ['integer', 'null'], description: 'null where no quota is set' },
      period: { enum: ['DAY', 'WEEK', 'MONTH'] },
      remaining: { type: ['integer', 'null'], description: 'null where no quota is set' },
      resetsAt: isoTime('when the period ends (UTC)'),
    },
    ['used', 'limit', 'period', 'remaining', 'resetsAt'],
  );
const sessionType = { enum: ['audio', 'block', 'video'] };
const graphqlErrors = {
  type: 'array',
  items: obj({ message: str(), extensions: obj({ code: str('the same codes as the JSON error table') }, ['code']) }, [
    'message',
    'extensions',
  ]),
};

export const SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Error: obj(
    {
      error: str('stable machine-readable code (see the error table)'),
      error_description: str('human-readable; never a secret, a stack trace, or whether a clientName exists'),
      errors: {
        ...graphqlErrors,
        description:
          "GraphQL's format of the same error; present on every /graphql error and on the gateway's own refusals (Gateway Responses apply to the whole API)",
      },
    },
    ['error', 'error_description'],
  ),
  GraphQLErrorResponse: obj(
    {
      error: str('the contract code, as in Error'),
      error_description: str('the same text as errors[0].message'),
      errors: graphqlErrors,
    },
    ['error', 'error_description', 'errors'],
  ),
  AuthTokenRequest: jsonSchemaOf(AuthTokenRequest),
  TokenResponse: obj(
    {
      token: str('a JWT signed by the deployment key (ES256, kid in header)'),
      tokenType: { const: 'Bearer' },
      expiresIn: { const: 14400 },
      expiresAt: isoTime('exp as ISO 8601 UTC'),
    },
    ['token', 'tokenType', 'expiresIn', 'expiresAt'],
  ),
  OAuthTokenRequest: jsonSchemaOf(OAuthTokenRequest),
  OAuthTokenResponse: obj(
    {
      access_token: str('a JWT signed by the deployment key (ES256, kid in header), iss = the issuer'),
      token_type: { const: 'Bearer' },
      expires_in: { const: 14400 },
      scope: str('the granted scopes, space-separated'),
    },
    ['access_token', 'token_type', 'expires_in', 'scope'],
  ),
  AuthorizationServerMetadata: obj(
    {
      issuer: str("the stage's base URL", { format: 'uri' }),
      token_endpoint: str('{issuer}/oauth2/token', { format: 'uri' }),
      jwks_uri: str('{issuer}/.well-known/jwks.json', { format: 'uri' }),
      grant_types_supported: { type: 'array', items: { const: 'client_credentials' } },
      response_types_supported: { type: 'array', maxItems: 0, description: 'none: no grant here uses an authorization endpoint' },
      token_endpoint_auth_methods_supported: {
        type: 'array',
        items: { enum: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] },
      },
      token_endpoint_auth_signing_alg_values_supported: {
        type: 'array',
        items: { enum: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] },
      },
      scopes_supported: { type: 'array', items: str() },
    },
    ['issuer', 'token_endpoint', 'jwks_uri', 'grant_types_supported', 'response_types_supported', 'token_endpoint_auth_methods_supported'],
  ),
  Jwks: obj(
    {
      keys: {
        type: 'array',
        items: obj({ kty: str(), kid: str(), alg: str(), use: str(), crv: str(), x: str(), y: str() }, ['kty', 'kid']),
      },
    },
    ['keys'],
  ),
  AuthenticatedEntity: obj(
    {
      clientName,
      sub: str(),
      scope: { type: 'array', items: str() },
      tokenKind: { enum: ['issued', 'client-hs256', 'client-asymmetric'] },
      alg: str(),
      kid: { type: ['string', 'null'], description: 'the key id of the header; null when it has none (a client HS256 token)' },
      expiresAt: { type: ['string', 'null'], format: 'date-time', description: 'token expiry; null when the token has no exp' },
      stage: { enum: ['sandbox', 'prod'] },
    },
    ['clientName', 'scope', 'tokenKind', 'alg', 'kid', 'expiresAt', 'stage'],
  ),
  Quota: quota,
  CreateClientRequest: jsonSchemaOf(CreateClientRequest),
  UpdateClientRequest: jsonSchemaOf(UpdateClientRequest),
  CreateClientResponse: obj({ clientName, clientSecret: secret, apiKey: str('the catalog API key, shown once') }, [
    'clientName',
    'clientSecret',
  ]),
  Client: obj(
    {
      clientName,
      scopes: { type: 'array', items: str() },
      requiredClaims: { type: 'array', items: str() },
      maxTokenLifetimeSeconds: { type: 'integer' },
      audience: str(),
      quota: { oneOf: [{ type: 'null' }, ref('Quota')] },
      tier,
      disabled: { type: 'boolean' },
      createdAt: isoTime('when the client was created'),
      updatedAt: isoTime('last change'),
      revokedBefore: isoTime('tokens issued before this are revoked'),
      secrets: {
        type: 'array',
        items: obj({ createdAt: str(), validUntil: isoTime('end of the grace period'), active: { type: 'boolean' } }),
      },
      keys: { oneOf: [{ type: 'null' }, obj({ kind: str(), updatedAt: str(), jwksUri: str() })] },
      apiKey: {
        oneOf: [{ type: 'null', description: 'no API key' }, obj({ createdAt: isoTime('when the API key was created') }, ['createdAt'])],
        description: 'never the value (shown once at creation)',
      },
    },
    ['clientName', 'scopes', 'tier', 'quota', 'disabled', 'secrets', 'keys', 'apiKey'],
    { description: "a client's settings; never a secret" },
  ),
  KeysReplaced: obj(
    {
      clientName,
      keys: obj(
        {
          kind: { enum: ['jwks', 'jwks_uri', 'pem'] },
          updatedAt: isoTime('when the keys were replaced'),
          jwksUri: str('jwks_uri only'),
          keys: {
            type: 'array',
            items: obj({ kid: { type: ['string', 'null'] }, algs: { type: 'array', items: str() } }, ['kid', 'algs']),
            description: 'what was imported: key ids and algorithms, never key material',
          },
        },
        ['kind', 'updatedAt', 'keys'],
      ),
    },
    ['clientName', 'keys'],
  ),
  RotateSecretRequest: jsonSchemaOf(RotateSecretBody),
  RotateSigningKeyRequest: jsonSchemaOf(v.unwrap(RotateSigningKeyRequest)),
  SigningKeyRotation: obj(
    {
      kid: str('the new key'),
      activatesAt: isoTime('when the new key starts signing'),
      retiring: { type: 'array', items: obj({ kid: str(), retiresAt: isoTime('when the key leaves the JWKS') }, ['kid', 'retiresAt']) },
    },
    ['kid', 'activatesAt', 'retiring'],
  ),
  RotateSecretResponse: obj({ clientSecret: secret, previousValidUntil: isoTime('the previous secret works until then') }, [
    'clientSecret',
    'previousValidUntil',
  ]),
  PutKeysRequest: jsonSchemaOf(PutKeysRequest),
  RevocationRequest: jsonSchemaOf(RevocationRequest),
  Revoked: {
    oneOf: [
      obj({ revoked: { const: 'jti' }, jti: str(), clientName: str('self-service: the caller') }, ['revoked', 'jti'], {
        additionalProperties: false,
      }),
      obj(
        { revoked: { const: 'client' }, clientName, issuedBefore: isoTime('the cut-off in force (a later one is kept)') },
        ['revoked', 'clientName', 'issuedBefore'],
        { additionalProperties: false },
      ),
    ],
  },
  Usage: {
    ...usageOf('the client'),
    properties: {
      ...(usageOf('the client').properties as Record<string, JsonSchema>),
      tier,
      deployment: { oneOf: [{ type: 'null', description: 'the stage has no deployment quota' }, usageOf('the deployment')] },
    },
    required: ['used', 'limit', 'period', 'remaining', 'resetsAt', 'tier', 'deployment'],
    description:
      "from the gateway's own counters, consistent at once: the client's quota and the deployment's (shared by the stage's clients)",
  },
  WorkoutSession: obj(
    {
      id: str(),
      type: sessionType,
      title: str(),
      description: { type: ['string', 'null'] },
      durationSeconds: { type: 'integer' },
      level: { enum: ['beginner', 'intermediate', 'advanced'] },
      tags: { type: 'array', items: str() },
      imageUrl: { type: ['string', 'null'] },
      coach: obj({ name: str(), bio: { type: ['string', 'null'] }, avatarUrl: { type: ['string', 'null'] } }, ['name']),
    },
    ['id', 'type', 'title', 'durationSeconds', 'level', 'tags', 'coach'],
    {
      description:
        'every field is present (absent optional values are null); audio adds audioUrl/transcriptUrl, video videoUrl/posterUrl/captionsUrl, block its blocks. GraphQL: docs/schema.graphql',
      additionalProperties: true,
    },
  ),
  PutSessionRequest: jsonSchemaOf(PutSessionRequest),
  PutSessionResponse: obj({ session: ref('WorkoutSession'), created: { type: 'boolean' }, updatedAt: isoTime('when stored') }, [
    'session',
    'created',
    'updatedAt',
  ]),
  GraphQLRequest: jsonSchemaOf(GraphQLRequest),
  GraphQLResponse: obj({
    data: { type: ['object', 'null'] },
    errors: { type: 'array', items: { type: 'object' } },
    extensions: obj({ workoutkit: obj({ token: str('the WorkoutKitToken') }) }),
  }),
  LaunchRequest: jsonSchemaOf(LaunchRequestSchema),
  LaunchResponse: obj({ valid: { const: true }, expiresAt: isoTime('end of the token day') }, ['valid', 'expiresAt']),
  EventRequest: jsonSchemaOf(EventRequest),
  EventAccepted: obj({ id: str() }, ['id']),
  CatalogPage: obj(
    {
      items: {
        type: 'array',
        items: obj(
          { id: str(), type: sessionType, title: str(), durationSeconds: { type: 'integer' }, coach: obj({ name: str() }, ['name']) },
          ['id', 'type', 'title', 'durationSeconds', 'coach'],
          { additionalProperties: false, description: 'a public summary: no media URL, no launch token' },
        ),
      },
      nextCursor: { type: ['string', 'null'], description: 'opaque; pass as ?cursor= for the next page; null on the last page' },
    },
    ['items', 'nextCursor'],
  ),
  Settings: obj(
    {
      clientName,
      stage: { enum: ['sandbox', 'prod'] },
      scopes: { type: ['array', 'null'], items: str() },
      requiredClaims: { type: 'array', items: str() },
      audience: { type: ['string', 'null'] },
      maxTokenLifetimeSeconds: { type: ['integer', 'null'] },
      quota: { oneOf: [{ type: 'null' }, ref('Quota')] },
      createdAt: isoTime('when the client was created'),
      updatedAt: isoTime('last change'),
      revokedBefore: { type: ['string', 'null'], format: 'date-time', description: 'tokens issued before this are revoked' },
      secrets: {
        type: 'array',
        items: obj({ createdAt: str(), validUntil: isoTime('end of the grace period'), active: { type: 'boolean' } }),
      },
      keys: {
        oneOf: [
          { type: 'null' },
          obj({
            kind: { enum: ['jwks', 'jwks_uri', 'pem'] },
            updatedAt: str(),
            jwksUri: str(),
            keys: {
              type: 'array',
              items: obj({ kid: { type: ['string', 'null'] }, algs: { type: 'array', items: str() }, source: str() }),
            },
          }),
        ],
      },
    },
    ['clientName', 'stage', 'secrets', 'keys'],
    { description: "the caller's own settings: never a secret or an API key" },
  ),
  AuthFailures: obj(
    {
      since: isoTime('start of the retention window (7 days)'),
      counted: { type: 'integer', description: 'entries the counts cover (the newest 500 at most)' },
      byReason: { type: 'object', additionalProperties: { type: 'integer' } },
      recent: {
        type: 'array',
        items: obj(
          {
            at: isoTime('when'),
            reason: str('the contract error code'),
            tokenKind: { enum: ['issued', 'client-hs256', 'client-asymmetric'] },
          },
          ['at', 'reason', 'tokenKind'],
        ),
      },
    },
    ['since', 'counted', 'byReason', 'recent'],
    { description: 'refused tokens that named the client; never a token, claim or key id' },
  ),
  SettingsRevocationRequest: jsonSchemaOf(SettingsRevocationRequest),
  OpenApiDocument: { type: 'object', description: 'this document' },
};
