/**
 * The route table: the single source for the CDK stack (lib/) and the local
 * gateway (local/). Handlers are named by entry path, so neither lib/ nor
 * local/ imports a handler's code; the function that serves a route
 * dispatches on `operation`.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * - `none`: public (the handler authenticates what it needs, e.g. /authtoken's body).
 * - `jwt`: the Lambda authorizer (lambdas/authorizer) runs first.
 * - `operator`: the operator API. In AWS the method uses IAM (SigV4) authorization;
 *   locally the gateway checks `X-WorkoutKit-Admin-Key` against the stage's key.
 * - `jwt-or-api-key`: public reads. A bearer JWT, or else the client's API key in
 *   `x-api-key`; the second, uncached authorizer of settings.ts AUTHORIZERS.
 */
export type AuthMode = 'none' | 'jwt' | 'operator' | 'jwt-or-api-key';

export type FunctionName = 'authorizer' | 'authtoken' | 'api' | 'session' | 'admin' | 'public';
/** The functions that serve routes (the authorizer only guards them). */
export type ServedFunction = Exclude<FunctionName, 'authorizer'>;

export interface FunctionSpec {
  /** Entry file, relative to the project root (what NodejsFunction bundles). */
  readonly entry: string;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly description: string;
}

export const FUNCTIONS: Readonly<Record<FunctionName, FunctionSpec>> = {
  authorizer: {
    entry: 'lambdas/authorizer/handler.ts',
    memorySize: 1024,
    timeoutSeconds: 10,
    description: 'REQUEST authorizer: verifies issued, client HS256 and client RS/ES JWTs',
  },
  authtoken: {
    entry: 'lambdas/authtoken/handler.ts',
    memorySize: 512,
    timeoutSeconds: 10,
    description: 'POST /authtoken and POST /oauth2/token: client credentials for a 4-hour JWT',
  },
  api: {
    entry: 'lambdas/api/handler.ts',
    memorySize: 512,
    timeoutSeconds: 15,
    description: 'JWT-protected API: verify, events, settings, catalog',
  },
  session: {
    entry: 'lambdas/session/handler.ts',
    memorySize: 512,
    timeoutSeconds: 15,
    description: 'WorkoutKitTokens: session reads (REST, GraphQL) that issue them, SDK launch check',
  },
  admin: {
    entry: 'lambdas/admin/handler.ts',
    memorySize: 512,
    timeoutSeconds: 15,
    description: 'Operator API (IAM-authorized in AWS)',
  },
  public: {
    entry: 'lambdas/public/handler.ts',
    memorySize: 256,
    timeoutSeconds: 10,
    description: 'Unauthenticated reads: JWKS, OAuth metadata, OpenAPI, portal page',
  },
};

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway resource path, `{name}` for path parameters. */
  readonly path: string;
  readonly function: ServedFunction;
  /** What the function dispatches on (stable id, also the OpenAPI operationId). */
  readonly operation: string;
  readonly auth: AuthMode;
  /** Scopes the caller's effective scope must include (checked by the handler: a cached Allow serves every method: https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html). */
  readonly scopes?: readonly string[];
  /** The route acts for an end user: the token must carry `sub`. */
  readonly requiresSub?: boolean;
  /** Errors in GraphQL's format (`{errors: [{message, extensions: {code}}]}`), same statuses. */
  readonly errorFormat?: 'graphql';
  readonly summary: string;
}

const ROUTE_TABLE = [
  {
    method: 'POST',
    path: '/authtoken',
    function: 'authtoken',
    operation: 'issueToken',
    auth: 'none',
    summary: 'Exchange clientName + clientSecret for a 4-hour JWT',
  },
  {
    method: 'GET',
    path: '/.well-known/jwks.json',
    function: 'public',
    operation: 'getJwks',
    auth: 'none',
    summary: "The deployment's public signing keys",
  },
  {
    method: 'POST',
    path: '/oauth2/token',
    function: 'authtoken',
    operation: 'oauthToken',
    auth: 'none',
    summary: 'OAuth 2.0 client-credentials grant (client_secret_basic, client_secret_post or private_key_jwt) for a 4-hour JWT',
  },
  {
    method: 'GET',
    path: '/.well-known/oauth-authorization-server',
    function: 'public',
    operation: 'getAuthorizationServerMetadata',
    auth: 'none',
    summary: 'OAuth 2.0 authorization server metadata (RFC 8414): issuer, token endpoint, JWKS URL',
  },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'public',
    operation: 'getOpenApi',
    auth: 'none',
    summary: 'This API described in OpenAPI 3.1',
  },
  {
    method: 'GET',
    path: '/v1/auth/verify',
    function: 'api',
    operation: 'verifyAuth',
    auth: 'jwt',
    summary: 'The authenticated entity behind the bearer token',
  },
  {
    method: 'POST',
    path: '/admin/clients',
    function: 'admin',
    operation: 'createClient',
    auth: 'operator',
    summary: 'Create a client (its secret is shown once)',
  },
  {
    method: 'GET',
    path: '/admin/clients/{clientName}',
    function: 'admin',
    operation: 'getClient',
    auth: 'operator',
    summary: "A client's settings (never its secret)",
  },
  {
    method: 'PATCH',
    path: '/admin/clients/{clientName}',
    function: 'admin',
    operation: 'updateClient',
    auth: 'operator',
    summary: "Change a client's tier, quota, scopes, claim policy or disabled flag",
  },
  {
    method: 'DELETE',
    path: '/admin/clients/{clientName}',
    function: 'admin',
    operation: 'deleteClient',
    auth: 'operator',
    summary: 'Delete a client, its keys and its API key',
  },
  {
    method: 'GET',
    path: '/v1/{clientName}/sessions/{sessionId}',
    function: 'session',
    operation: 'getSession',
    auth: 'jwt',
    summary: 'A workout session payload; with X-WorkoutKit-Device also a WorkoutKitToken in X-WorkoutKit-Token',
  },
  {
    method: 'POST',
    path: '/graphql',
    function: 'session',
    operation: 'graphql',
    auth: 'jwt',
    requiresSub: true,
    errorFormat: 'graphql',
    summary: 'GraphQL: publicWorkoutSession(id) with its WorkoutKitToken (X-WorkoutKit-Device required)',
  },
  {
    method: 'POST',
    path: '/v1/events',
    function: 'api',
    operation: 'recordEvent',
    auth: 'jwt',
    requiresSub: true,
    scopes: ['write'],
    summary: 'Record a user event',
  },
  {
    method: 'POST',
    path: '/v1/sdk/launch',
    function: 'session',
    operation: 'launchSession',
    auth: 'none',
    summary: 'SDK launch check of a WorkoutKitToken for a device, session and payload digest',
  },
  {
    method: 'PUT',
    path: '/admin/sessions/{sessionId}',
    function: 'admin',
    operation: 'putSession',
    auth: 'operator',
    summary: 'Upsert workout session content',
  },
  {
    method: 'PUT',
    path: '/admin/clients/{clientName}/keys',
    function: 'admin',
    operation: 'putClientKeys',
    auth: 'operator',
    summary: "Replace a client's verification keys (JWKS, JWKS URL or PEM)",
  },
  {
    method: 'POST',
    path: '/admin/clients/{clientName}/rotate-secret',
    function: 'admin',
    operation: 'rotateClientSecret',
    auth: 'operator',
    summary: "Rotate a client's secret; the previous one works for graceSeconds",
  },
  {
    method: 'POST',
    path: '/admin/revocations',
    function: 'admin',
    operation: 'createRevocation',
    auth: 'operator',
    summary: 'Revoke a token by jti, or every token of a client issued before a cut-off',
  },
  {
    method: 'POST',
    path: '/admin/signing-keys/rotate',
    function: 'admin',
    operation: 'rotateSigningKeys',
    auth: 'operator',
    summary: "Rotate the deployment's signing key (published now, signs after a lead time)",
  },
  {
    method: 'GET',
    path: '/admin/clients/{clientName}/usage',
    function: 'admin',
    operation: 'getClientUsage',
    auth: 'operator',
    summary: "The client's quota use in the current period",
  },
  {
    method: 'GET',
    path: '/v1/{clientName}/catalog',
    function: 'api',
    operation: 'listCatalog',
    auth: 'jwt-or-api-key',
    summary: "The tenant's sessions (id, type, title, duration, coach), paged; a JWT or the client's API key in x-api-key",
  },
  {
    method: 'GET',
    path: '/v1/settings',
    function: 'api',
    operation: 'getSettings',
    auth: 'jwt',
    scopes: ['settings'],
    summary: "The caller's own client settings (never a secret)",
  },
  {
    method: 'PUT',
    path: '/v1/settings/keys',
    function: 'api',
    operation: 'putSettingsKeys',
    auth: 'jwt',
    scopes: ['settings'],
    summary: "Replace the caller's own verification keys (JWKS, JWKS URL or PEM)",
  },
  {
    method: 'POST',
    path: '/v1/settings/rotate-secret',
    function: 'api',
    operation: 'rotateSettingsSecret',
    auth: 'jwt',
    scopes: ['settings'],
    summary: "Rotate the caller's own secret; the previous one works for graceSeconds",
  },
  {
    method: 'POST',
    path: '/v1/settings/revocations',
    function: 'api',
    operation: 'createSettingsRevocation',
    auth: 'jwt',
    scopes: ['settings'],
    summary: "Revoke one of the caller's own tokens by jti, or all issued before a cut-off",
  },
  {
    method: 'GET',
    path: '/v1/settings/usage',
    function: 'api',
    operation: 'getSettingsUsage',
    auth: 'jwt',
    scopes: ['settings'],
    summary: "The caller's own quota use in the current period",
  },
  {
    method: 'GET',
    path: '/v1/settings/auth-failures',
    function: 'api',
    operation: 'getSettingsAuthFailures',
    auth: 'jwt',
    scopes: ['settings'],
    summary: "Recent authentication failures of the caller's client, by reason (no tokens)",
  },
  {
    method: 'GET',
    path: '/portal',
    function: 'public',
    operation: 'getPortalPage',
    auth: 'none',
    summary: 'The developer portal page (signs in through /authtoken)',
  },
  {
    method: 'GET',
    path: '/portal/app.js',
    function: 'public',
    operation: 'getPortalScript',
    auth: 'none',
    summary: "The developer portal's script",
  },
  {
    method: 'GET',
    path: '/portal/app.css',
    function: 'public',
    operation: 'getPortalStyles',
    auth: 'none',
    summary: "The developer portal's stylesheet",
  },
] as const satisfies readonly RouteSpec[];

export const ROUTES: readonly RouteSpec[] = ROUTE_TABLE;

type RouteEntry = (typeof ROUTE_TABLE)[number];
/** Every operation id of the route table. */
export type OperationId = RouteEntry['operation'];
/**
 * The operation ids one function serves. A function's operation table is typed by this, so a
 * route without an implementation, or an implementation without a route, fails the type check.
 */
export type OperationIdOf<F extends ServedFunction> = Extract<RouteEntry, { readonly function: F }>['operation'];

/** Splits a resource path into segments; `{x}` segments are parameters. */
export function pathSegments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export interface RouteMatch {
  route: RouteSpec;
  pathParameters: Record<string, string>;
}

export type RouteLookup =
  { kind: 'match'; match: RouteMatch } | { kind: 'method_not_allowed'; allowed: HttpMethod[] } | { kind: 'not_found' };

/**
 * Matches a concrete request path as API Gateway does: literal segments win
 * over `{param}` segments at the same position.
 */
export function findRoute(method: string, requestPath: string, routes: readonly RouteSpec[] = ROUTES): RouteLookup {
  const parts = pathSegments(requestPath);
  const candidates: { route: RouteSpec; params: Record<string, string>; literals: number }[] = [];
  for (const route of routes) {
    const segs = pathSegments(route.path);
    if (segs.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i] as string;
      const part = parts[i] as string;
      if (seg.startsWith('{') && seg.endsWith('}')) {
        let value: string;
        try {
          value = decodeURIComponent(part);
        } catch {
          ok = false;
          break;
        }
        params[seg.slice(1, -1)] = value;
      } else if (seg === part) {
        literals++;
      } else {
        ok = false;
        break;
      }
    }
    if (ok) candidates.push({ route, params, literals });
  }
  if (candidates.length === 0) return { kind: 'not_found' };
  const best = Math.max(...candidates.map((c) => c.literals));
  const top = candidates.filter((c) => c.literals === best);
  const hit = top.find((c) => c.route.method === method);
  if (hit) return { kind: 'match', match: { route: hit.route, pathParameters: hit.params } };
  return { kind: 'method_not_allowed', allowed: [...new Set(top.map((c) => c.route.method))] };
}

export function routeByOperation(operation: string, routes: readonly RouteSpec[] = ROUTES): RouteSpec | undefined {
  return routes.find((r) => r.operation === operation);
}
