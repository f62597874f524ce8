/**
 * The per-operation half of the OpenAPI description: bodies, extra parameters and the error
 * codes each route adds to those its auth mode implies (document.ts). Keyed by
 * `METHOD /path` as the contract writes them, so a route added to routes.ts finds its entry
 * whatever its operation id; a route without an entry fails test/docs (add it here, then
 * `npm run docs`).
 */
import type { ErrorCode } from '../../core/errors';
import { CatalogQuery, DeviceId, IdempotencyKey } from '../../core/schemas/parameters';
import type { JsonSchema } from './components';
import { jsonSchemaOf } from './json-schema';

export interface ResponseDoc {
  readonly description: string;
  /** A component schema name (components.ts). */
  readonly schema?: string;
  /** @default 'application/json' */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ParameterDoc {
  readonly name: string;
  readonly in: 'header' | 'query';
  readonly description: string;
  readonly required?: boolean;
  /** The parameter's schema (lambdas/core/schemas); a string when absent. */
  readonly schema?: JsonSchema;
}

export interface OperationDoc {
  readonly tag: 'auth' | 'sessions' | 'sdk' | 'catalog' | 'settings' | 'operator' | 'meta';
  readonly description?: string;
  readonly requestBody?: string;
  /** The body may be left out altogether (all defaults). */
  readonly requestBodyOptional?: boolean;
  /** @default 'application/json' */
  readonly requestContentType?: string;
  readonly parameters?: readonly ParameterDoc[];
  readonly responses: Readonly<Record<number, ResponseDoc>>;
  /** Error codes beyond those implied by the route's auth mode and body. */
  readonly errors?: readonly ErrorCode[];
  /** The catalog also accepts the client's API key. */
  readonly alsoApiKey?: boolean;
  /** Errors in GraphQL's format instead of the contract's JSON object. */
  readonly errorFormat?: 'graphql';
}

const DEVICE: ParameterDoc = {
  name: 'X-WorkoutKit-Device',
  in: 'header',
  description: 'an app-lifecycle random device id (never a tracking id)',
  schema: jsonSchemaOf(DeviceId),
};
const queryParameter = (name: keyof typeof CatalogQuery.entries, description: string): ParameterDoc => ({
  name,
  in: 'query',
  description,
  schema: jsonSchemaOf(CatalogQuery.entries[name].wrapped),
});
const TOKEN_HEADER = { 'X-WorkoutKit-Token': 'the WorkoutKitToken (device-bound launch token), when X-WorkoutKit-Device was sent' };

export const OPERATION_DOCS: Readonly<Record<string, OperationDoc>> = {
  'POST /authtoken': {
    tag: 'auth',
    description: 'The JWT payload holds `user` (the userInfo), `clientName`, `iat`, `exp` (= iat + 4 h), `jti`, and `sub` when given.',
    requestBody: 'AuthTokenRequest',
    responses: { 200: { description: 'a 4-hour token', schema: 'TokenResponse' } },
    // rate_limited: the lock-out after repeated failures of one clientName from one address.
    errors: ['invalid_client', 'rate_limited'],
  },
  'POST /oauth2/token': {
    tag: 'auth',
    description:
      'The OAuth 2.0 client-credentials grant (RFC 6749 §4.4). Client authentication: HTTP Basic with the form-urlencoded clientName and ' +
      'clientSecret (`client_secret_basic`), `client_id` + `client_secret` in the form (`client_secret_post`), or an RFC 7523 assertion ' +
      '(`private_key_jwt`: `iss` = `sub` = clientName, `aud` = this URL or the issuer, `exp` at most 300 s ahead, a single-use `jti`, ' +
      "signed RS/ES with one of the client's registered keys) — exactly one of them. `scope` narrows the client's scopes. " +
      'Errors are RFC 6749 §5.2 objects; a failed Basic authentication answers `WWW-Authenticate: Basic`. Failed attempts count ' +
      'towards the same lock-out as POST /authtoken.',
    requestBody: 'OAuthTokenRequest',
    requestContentType: 'application/x-www-form-urlencoded',
    responses: {
      200: {
        description: 'a 4-hour token, the same kind POST /authtoken issues',
        schema: 'OAuthTokenResponse',
        headers: { 'Cache-Control': 'no-store' },
      },
    },
    errors: ['invalid_client', 'unsupported_grant_type', 'invalid_scope', 'unauthorized_client', 'rate_limited'],
  },
  'GET /.well-known/oauth-authorization-server': {
    tag: 'auth',
    description:
      "RFC 8414 metadata. `issuer` is the stage's base URL and the `iss` of every token the stage issues; `jwks_uri` holds their keys.",
    responses: { 200: { description: 'the authorization server metadata', schema: 'AuthorizationServerMetadata' } },
  },
  'GET /.well-known/jwks.json': {
    tag: 'auth',
    responses: { 200: { description: 'current and still-valid previous public keys', schema: 'Jwks' } },
  },
  'GET /openapi.json': {
    tag: 'meta',
    responses: { 200: { description: 'this OpenAPI 3.1 document', schema: 'OpenApiDocument' } },
  },
  'GET /v1/auth/verify': {
    tag: 'auth',
    responses: { 200: { description: 'the authenticated entity behind the bearer token', schema: 'AuthenticatedEntity' } },
  },
  'GET /v1/{clientName}/sessions/{sessionId}': {
    tag: 'sessions',
    description: 'With `X-WorkoutKit-Device` (and a token with `sub`) the answer also carries a WorkoutKitToken.',
    parameters: [DEVICE],
    responses: { 200: { description: 'the session payload', schema: 'WorkoutSession', headers: TOKEN_HEADER } },
    errors: ['not_found'],
  },
  'POST /graphql': {
    tag: 'sessions',
    description: '`publicWorkoutSession(id: ID!)` returns a session with its `workoutKitToken`. Schema: docs/schema.graphql.',
    parameters: [{ ...DEVICE, required: true }],
    requestBody: 'GraphQLRequest',
    responses: { 200: { description: 'GraphQL result', schema: 'GraphQLResponse', headers: TOKEN_HEADER } },
    // not_found: no session with that id (in GraphQL's error format, like every error here).
    errors: ['device_required', 'not_found'],
    errorFormat: 'graphql',
  },
  'POST /v1/sdk/launch': {
    tag: 'sdk',
    description: 'Checks a WorkoutKitToken for this device, session and payload; no other authentication.',
    requestBody: 'LaunchRequest',
    responses: { 200: { description: 'the token is valid', schema: 'LaunchResponse' } },
    errors: ['launch_token_invalid'],
  },
  'POST /v1/events': {
    tag: 'sessions',
    description:
      'With `Idempotency-Key`, a repeat within 24 h (same client, end user and key; the same JSON body up to key order) answers the first answer again with `Idempotent-Replayed: true` and records nothing; the same key with another body is 409 `conflict`.',
    requestBody: 'EventRequest',
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        description: 'repeats within 24 h answer the first answer again',
        schema: jsonSchemaOf(IdempotencyKey),
      },
    ],
    responses: { 202: { description: 'recorded (or, for a repeat, the first answer again)', schema: 'EventAccepted' } },
    errors: ['conflict'],
  },
  'GET /v1/{clientName}/catalog': {
    tag: 'catalog',
    description: 'The tenant’s sessions without media URLs or launch tokens, paginated; metered either way.',
    parameters: [queryParameter('cursor', 'from the previous page'), queryParameter('limit', 'page size (default 20)')],
    responses: { 200: { description: 'a page of the catalog', schema: 'CatalogPage' } },
    alsoApiKey: true,
  },
  'GET /portal': {
    tag: 'meta',
    description: 'Strict Content-Security-Policy; signs in through POST /authtoken and keeps the token in memory only (docs/portal.md).',
    responses: { 200: { description: 'the developer portal page', contentType: 'text/html' } },
  },
  'GET /portal/app.js': {
    tag: 'meta',
    responses: { 200: { description: "the portal's script (built by esbuild from portal/src)", contentType: 'text/javascript' } },
  },
  'GET /portal/app.css': {
    tag: 'meta',
    responses: { 200: { description: "the portal's stylesheet", contentType: 'text/css' } },
  },
  'GET /v1/settings': {
    tag: 'settings',
    description: 'Always the caller’s own client (from the token), never another’s.',
    responses: { 200: { description: 'the settings; never a secret', schema: 'Settings' } },
  },
  'PUT /v1/settings/keys': {
    tag: 'settings',
    description: 'The operator route’s validation: private, symmetric, unsupported or malformed keys are refused with invalid_request.',
    requestBody: 'PutKeysRequest',
    responses: { 200: { description: "the caller's verification keys were replaced", schema: 'KeysReplaced' } },
  },
  'POST /v1/settings/rotate-secret': {
    tag: 'settings',
    description: 'Of two concurrent rotations one answers 200; the other answers 409 conflict and may retry.',
    requestBody: 'RotateSecretRequest',
    requestBodyOptional: true,
    responses: { 200: { description: 'a new secret, shown once; both work until previousValidUntil', schema: 'RotateSecretResponse' } },
    errors: ['conflict'],
  },
  'POST /v1/settings/revocations': {
    tag: 'settings',
    description:
      'A jti is revoked among the caller’s own tokens only; issuedBefore sets the caller’s own cut-off. Takes effect within the authorizer cache TTL.',
    requestBody: 'SettingsRevocationRequest',
    responses: { 201: { description: 'revoked', schema: 'Revoked' } },
  },
  'GET /v1/settings/usage': {
    tag: 'settings',
    responses: { 200: { description: "the caller's and the deployment's quota use in the current period", schema: 'Usage' } },
  },
  'GET /v1/settings/auth-failures': {
    tag: 'settings',
    description: 'What the authorizer refused for tokens naming this client in the last 7 days: reason code, token kind and time only.',
    responses: { 200: { description: 'counts by reason and the newest entries', schema: 'AuthFailures' } },
  },
  'POST /admin/clients': {
    tag: 'operator',
    requestBody: 'CreateClientRequest',
    responses: { 201: { description: 'created; the secret (and API key) are shown this once', schema: 'CreateClientResponse' } },
    errors: ['conflict'],
  },
  'GET /admin/clients/{clientName}': {
    tag: 'operator',
    responses: { 200: { description: "the client's settings, never its secret", schema: 'Client' } },
    errors: ['not_found'],
  },
  'PATCH /admin/clients/{clientName}': {
    tag: 'operator',
    description:
      'Changes any of tier, quota (`null` removes it), scopes, claim policy and `disabled`; takes effect within the authorizer cache TTL. ' +
      "A tier change moves the client's API key to that tier's usage plan. An unknown tier, `rateLimit`/`burstLimit` or a malformed quota: 400 naming the field.",
    requestBody: 'UpdateClientRequest',
    responses: { 200: { description: "the client's settings", schema: 'Client' } },
    errors: ['not_found'],
  },
  'DELETE /admin/clients/{clientName}': {
    tag: 'operator',
    description:
      'Removes the client, its keys, its API key (and, in AWS, its usage-plan attachment), its usage counters and authentication-failure log; ' +
      'its tokens stop working within the authorizer cache TTL. Its user events stay. A client created later with the same name never accepts tokens issued before its own createdAt.',
    responses: { 204: { description: 'deleted' } },
    errors: ['not_found'],
  },
  'POST /admin/clients/{clientName}/rotate-secret': {
    tag: 'operator',
    description: 'Of two concurrent rotations one answers 200; the other answers 409 conflict and may retry.',
    requestBody: 'RotateSecretRequest',
    requestBodyOptional: true,
    responses: { 200: { description: 'a new secret; both work until previousValidUntil', schema: 'RotateSecretResponse' } },
    errors: ['not_found', 'conflict'],
  },
  'PUT /admin/clients/{clientName}/keys': {
    tag: 'operator',
    requestBody: 'PutKeysRequest',
    responses: { 200: { description: "the client's verification keys were replaced", schema: 'KeysReplaced' } },
    errors: ['not_found'],
  },
  'POST /admin/revocations': {
    tag: 'operator',
    description: 'Takes effect within the authorizer cache TTL; a token without `iat` counts as issued before any cut-off.',
    requestBody: 'RevocationRequest',
    responses: { 201: { description: 'revoked', schema: 'Revoked' } },
    errors: ['not_found'],
  },
  'POST /admin/signing-keys/rotate': {
    tag: 'operator',
    description:
      'Adds a new deployment signing key, published at once and signing from activatesAt (after leadSeconds); the previous one stays published until the tokens it signed expire (retiresAt). ' +
      'A rotation while another is still pending is 409 conflict.',
    requestBody: 'RotateSigningKeyRequest',
    requestBodyOptional: true,
    responses: { 201: { description: 'rotated: the new key and when the others retire', schema: 'SigningKeyRotation' } },
    errors: ['conflict'],
  },
  'GET /admin/clients/{clientName}/usage': {
    tag: 'operator',
    responses: { 200: { description: "the client's and the deployment's quota use in the current period", schema: 'Usage' } },
    errors: ['not_found'],
  },
  'PUT /admin/sessions/{sessionId}': {
    tag: 'operator',
    requestBody: 'PutSessionRequest',
    responses: { 200: { description: 'upserted', schema: 'PutSessionResponse' } },
  },
};
