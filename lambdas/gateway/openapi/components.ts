/**
 * Shared JSON Schemas (OpenAPI 3.1 = JSON Schema 2020-12) of the contract's bodies
 * (the API contract; docs/integrators.md). Referenced by name from operations.ts.
 */
export type JsonSchema = { readonly [key: string]: unknown };

const str = (description?: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...(description ? { description } : {}), ...extra });
const isoTime = (description: string): JsonSchema => str(description, { format: 'date-time' });
const obj = (properties: Record<string, JsonSchema>, required: readonly string[] = [], extra: JsonSchema = {}): JsonSchema => ({
  type: 'object',
  properties,
  ...(required.length > 0 ? { required } : {}),
  ...extra,
});
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const clientName = str('3-64 of [a-z0-9-]', { pattern: '^[a-z0-9-]{3,64}$' });
const secret = str('256 bits of randomness, base64url; shown once', { pattern: '^[A-Za-z0-9_-]{43,}$' });
const quota = obj(
  {
    limit: { type: 'integer', minimum: 1 },
    period: { enum: ['DAY', 'WEEK', 'MONTH'], description: 'UTC; a WEEK starts on Sunday' },
  },
  ['limit', 'period'],
  { additionalProperties: false, description: "requests per period, counted by the gateway; throttling (rate, burst) comes from the client's tier, never from here" },
);
const tier = str("one of the stage's throttle tiers (tenant config); `default` when absent", { pattern: '^[a-z0-9][a-z0-9-]{0,31}$' });
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
  items: obj({ message: str(), extensions: obj({ code: str('the same codes as the JSON error table') }, ['code']) }, ['message', 'extensions']),
};

export const SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Error: obj(
    {
      error: str('stable machine-readable code (see the error table)'),
      error_description: str('human-readable; never a secret, a stack trace, or whether a clientName exists'),
      errors: {
        ...graphqlErrors,
        description: "GraphQL's format of the same error; present on every /graphql error and on the gateway's own refusals (Gateway Responses apply to the whole API)",
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
  AuthTokenRequest: obj(
    {
      clientName,
      clientSecret: str(),
      userInfo: { type: 'object', description: 'copied into the token as the `user` claim' },
      sub: str('an end-user id: gives the token a user context'),
    },
    ['clientName', 'clientSecret'],
  ),
  TokenResponse: obj(
    { token: str('a JWT signed by the deployment key (ES256, kid in header)'), tokenType: { const: 'Bearer' }, expiresIn: { const: 14400 }, expiresAt: isoTime('exp as ISO 8601 UTC') },
    ['token', 'tokenType', 'expiresIn', 'expiresAt'],
  ),
  OAuthTokenRequest: obj(
    {
      grant_type: { const: 'client_credentials' },
      scope: str("space-separated; each must be one of the client's scopes (default: all of them)"),
      client_id: str('the clientName (client_secret_post; optional with private_key_jwt)'),
      client_secret: str('client_secret_post only'),
      client_assertion_type: { const: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' },
      client_assertion: str('private_key_jwt: the signed assertion'),
    },
    ['grant_type'],
  ),
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
      token_endpoint_auth_methods_supported: { type: 'array', items: { enum: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] } },
      token_endpoint_auth_signing_alg_values_supported: { type: 'array', items: { enum: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] } },
      scopes_supported: { type: 'array', items: str() },
    },
    ['issuer', 'token_endpoint', 'jwks_uri', 'grant_types_supported', 'response_types_supported', 'token_endpoint_auth_methods_supported'],
  ),
  Jwks: obj({ keys: { type: 'array', items: obj({ kty: str(), kid: str(), alg: str(), use: str(), crv: str(), x: str(), y: str() }, ['kty', 'kid']) } }, ['keys']),
  AuthenticatedEntity: obj(
    {
      clientName,
      sub: str(),
      scope: { type: 'array', items: str() },
      tokenKind: { enum: ['issued', 'client-hs256', 'client-asymmetric'] },
      alg: str(),
      kid: str(),
      expiresAt: isoTime('token expiry, when it has exp'),
      stage: { enum: ['sandbox', 'prod'] },
    },
    ['clientName', 'scope', 'tokenKind', 'alg', 'stage'],
  ),
  Quota: quota,
  CreateClientRequest: obj(
    {
      clientName,
      scopes: { type: 'array', items: str(), maxItems: 50 },
      requiredClaims: { type: 'array', items: { enum: ['exp', 'iat', 'iss', 'aud'] } },
      maxTokenLifetimeSeconds: { type: 'integer', minimum: 1 },
      audience: str(),
      quota: ref('Quota'),
      tier,
    },
    ['clientName'],
    { additionalProperties: false, description: '`rateLimit`/`burstLimit` are refused (400): throttling comes from tiers' },
  ),
  UpdateClientRequest: obj(
    {
      tier,
      quota: { oneOf: [{ type: 'null', description: 'removes the quota' }, ref('Quota')] },
      scopes: { type: 'array', items: str(), maxItems: 50 },
      requiredClaims: { type: 'array', items: { enum: ['exp', 'iat', 'iss', 'aud'] } },
      maxTokenLifetimeSeconds: { type: ['integer', 'null'], minimum: 1 },
      audience: { type: ['string', 'null'] },
      disabled: { type: 'boolean', description: "a disabled client's tokens and API key are refused (401 invalid_token); /authtoken answers invalid_client" },
    },
    [],
    { additionalProperties: false, minProperties: 1 },
  ),
  CreateClientResponse: obj({ clientName, clientSecret: secret, apiKey: str('the catalog API key, shown once') }, ['clientName', 'clientSecret']),
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
      revokedBefore: isoTime('tokens issued before this are revoked'),
      secrets: { type: 'array', items: obj({ createdAt: str(), validUntil: isoTime('end of the grace period'), active: { type: 'boolean' } }) },
      keys: { oneOf: [{ type: 'null' }, obj({ kind: str(), updatedAt: str(), jwksUri: str() })] },
    },
    ['clientName'],
    { description: "a client's settings; never a secret" },
  ),
  RotateSecretRequest: obj({ graceSeconds: { type: 'integer', minimum: 0, maximum: 604800, default: 86400 } }, [], { additionalProperties: false }),
  RotateSecretResponse: obj({ clientSecret: secret, previousValidUntil: isoTime('the previous secret works until then') }, ['clientSecret', 'previousValidUntil']),
  PutKeysRequest: {
    oneOf: [
      obj({ jwks: obj({ keys: { type: 'array', items: { type: 'object' } } }, ['keys']) }, ['jwks'], { additionalProperties: false }),
      obj({ jwksUri: str('https only; fetched with a 5 s timeout and a 512 KiB cap', { format: 'uri' }) }, ['jwksUri'], { additionalProperties: false }),
      obj({ pem: str('a PEM public key or certificate') }, ['pem'], { additionalProperties: false }),
    ],
    description: 'public keys only: private, symmetric and unsupported keys are refused',
  },
  RevocationRequest: {
    oneOf: [
      obj({ jti: str() }, ['jti'], { additionalProperties: false }),
      obj({ clientName, issuedBefore: { oneOf: [{ type: 'integer', description: 'NumericDate seconds' }, isoTime('ISO 8601')] } }, ['clientName', 'issuedBefore'], { additionalProperties: false }),
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
    description: "from the gateway's own counters, consistent at once: the client's quota and the deployment's (shared by the stage's clients)",
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
      description: 'every field is present (absent optional values are null); audio adds audioUrl/transcriptUrl, video videoUrl/posterUrl/captionsUrl, block its blocks. GraphQL: docs/schema.graphql',
      additionalProperties: true,
    },
  ),
  PutSessionRequest: obj({ type: sessionType, title: str() }, ['type', 'title'], {
    description: 'the session content without its id (validated per type: lambdas/core/sessions.ts)',
    additionalProperties: true,
  }),
  PutSessionResponse: obj({ session: ref('WorkoutSession'), created: { type: 'boolean' }, updatedAt: isoTime('when stored') }, ['session', 'created', 'updatedAt']),
  GraphQLRequest: obj({ query: str(), variables: { type: 'object' }, operationName: str() }, ['query']),
  GraphQLResponse: obj({ data: { type: ['object', 'null'] }, errors: { type: 'array', items: { type: 'object' } }, extensions: obj({ workoutkit: obj({ token: str('the WorkoutKitToken') }) }) }),
  LaunchRequest: obj(
    {
      token: str('the WorkoutKitToken'),
      deviceId: str(),
      sessionId: str(),
      payloadDigest: str('base64url (no padding) SHA-256 of the RFC 8785 canonical JSON of the session payload'),
    },
    ['token', 'deviceId', 'sessionId', 'payloadDigest'],
  ),
  LaunchResponse: obj({ valid: { const: true }, expiresAt: isoTime('end of the token day') }, ['valid', 'expiresAt']),
  EventRequest: obj({ type: str(), sessionId: str(), occurredAt: isoTime('when it happened'), data: { type: 'object' } }, ['type']),
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
      secrets: { type: 'array', items: obj({ createdAt: str(), validUntil: isoTime('end of the grace period'), active: { type: 'boolean' } }) },
      keys: {
        oneOf: [
          { type: 'null' },
          obj({
            kind: { enum: ['jwks', 'jwks_uri', 'pem'] },
            updatedAt: str(),
            jwksUri: str(),
            keys: { type: 'array', items: obj({ kid: { type: ['string', 'null'] }, algs: { type: 'array', items: str() }, source: str() }) },
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
        items: obj({ at: isoTime('when'), reason: str('the contract error code'), tokenKind: { enum: ['issued', 'client-hs256', 'client-asymmetric'] } }, ['at', 'reason', 'tokenKind']),
      },
    },
    ['since', 'counted', 'byReason', 'recent'],
    { description: 'refused tokens that named the client; never a token, claim or key id' },
  ),
  SettingsRevocationRequest: {
    oneOf: [
      obj({ jti: str('a jti of one of your own tokens') }, ['jti'], { additionalProperties: false }),
      obj({ issuedBefore: { oneOf: [{ type: 'integer', description: 'NumericDate seconds' }, isoTime('ISO 8601')] } }, ['issuedBefore'], { additionalProperties: false }),
    ],
  },
  OpenApiDocument: { type: 'object', description: 'this document' },
};
