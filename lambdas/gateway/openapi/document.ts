/**
 * Generates the OpenAPI 3.1 description from the route table (paths, methods, auth, scopes)
 * and OPERATION_DOCS (bodies, extra errors). Served at GET /openapi.json and committed as
 * docs/openapi.json; test/docs checks both against this function.
 */
import { STATUS_OF, type ErrorCode } from '../../core/errors';
import { ROUTES, pathSegments, type RouteSpec } from '../routes';
import { ADMIN_KEY_HEADER } from '../settings';
import { CLIENT_NAME_RULE } from '../../core/client-name';
import { ClientName, SessionId } from '../../core/schemas/parameters';
import { SCHEMAS, type JsonSchema } from './components';
import { jsonSchemaOf } from './json-schema';
import { OPERATION_DOCS, type OperationDoc, type ResponseDoc } from './operations';

export const API_VERSION = '1.0.0';

export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>): string => `${route.method} ${route.path}`;

const PATH_PARAMS: Readonly<Record<string, { description: string; schema: JsonSchema }>> = {
  clientName: {
    description: `the client's name (${CLIENT_NAME_RULE}); on JWT routes it must be the caller's own`,
    schema: jsonSchemaOf(ClientName),
  },
  sessionId: { description: 'a workout session id', schema: jsonSchemaOf(SessionId) },
};

const TAGS = [
  { name: 'auth', description: 'Tokens and their verification' },
  { name: 'sessions', description: 'Workout content for an authenticated client (and its end user)' },
  { name: 'sdk', description: 'What the mobile SDK calls' },
  { name: 'catalog', description: 'Public catalogue reads (JWT or API key)' },
  { name: 'settings', description: "A client's self-service settings" },
  { name: 'operator', description: 'The operator API: IAM (SigV4) in AWS, X-WorkoutKit-Admin-Key locally' },
  { name: 'meta', description: 'This description and the portal' },
];

const SECURITY_SCHEMES = {
  bearerJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'An issued token (POST /authtoken), a client HS256 token signed with the clientSecret, or a client RS/ES token verified with its registered keys.',
  },
  apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: "The client's API key (catalog reads only)." },
  operatorKey: {
    type: 'apiKey',
    in: 'header',
    name: 'X-WorkoutKit-Admin-Key',
    description: "Local gateway only: the stage's operator key (npm start prints it).",
  },
  awsSigV4: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'Deployed stages: AWS SigV4 for service execute-api, from a principal allowed execute-api:Invoke on the stage’s /admin/*.',
    'x-amazon-apigateway-authtype': 'awsSigv4',
  },
};

/** What every JSON request body must be (runtime/http.ts, core/content-type.ts, core/json-input.ts). */
export const JSON_BODY_NOTE =
  'Sent with Content-Type: application/json (charset utf-8 if given); text/plain, a form or no Content-Type is 400 invalid_request, whatever the bytes. ' +
  'At most 64 KiB and 32 levels of nesting, no member named __proto__, constructor or prototype, numbers up to 2^53-1 in magnitude and no smaller than 1e-130.';

/** The error codes a route can answer, from its auth mode and body, plus its own. */
export function errorCodesOf(route: RouteSpec, doc: OperationDoc): ErrorCode[] {
  const codes = new Set<ErrorCode>();
  // A body, a path parameter or a declared header/query parameter can each be malformed.
  if (doc.requestBody || route.path.includes('{') || (doc.parameters?.length ?? 0) > 0) codes.add('invalid_request');
  if (route.auth === 'jwt' || route.auth === 'jwt-or-api-key') {
    for (const c of [
      'invalid_token',
      'token_expired',
      'invalid_signature',
      'missing_required_claim',
      'token_revoked',
      'rate_limited',
      'quota_exceeded',
    ] as const)
      codes.add(c);
    if ((route.scopes?.length ?? 0) > 0 || route.path.includes('{clientName}')) codes.add('insufficient_permissions');
  }
  if (route.auth === 'operator') codes.add('unauthorized');
  for (const c of doc.errors ?? []) codes.add(c);
  codes.add('service_unavailable');
  return [...codes];
}

function errorResponses(route: RouteSpec, doc: OperationDoc): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route, doc)) byStatus.set(STATUS_OF[code], [...(byStatus.get(STATUS_OF[code]) ?? []), code]);
  const out: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const schema =
      (route.errorFormat ?? doc.errorFormat) === 'graphql'
        ? { $ref: '#/components/schemas/GraphQLErrorResponse' }
        : { allOf: [{ $ref: '#/components/schemas/Error' }, { properties: { error: { enum: codes } } }] };
    const headers: Record<string, unknown> = {};
    if (status === 401 && route.auth !== 'operator')
      headers['WWW-Authenticate'] = { description: 'RFC 6750 Bearer challenge', schema: { type: 'string' } };
    if (status === 429) headers['Retry-After'] = { description: 'seconds', schema: { type: 'integer' } };
    out[String(status)] = {
      description: codes.join(', '),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: { 'application/json': { schema } },
    };
  }
  return out;
}

function successResponse(res: ResponseDoc): Record<string, unknown> {
  const headers = Object.fromEntries(
    Object.entries(res.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
  );
  const type = res.contentType ?? 'application/json';
  return {
    description: res.description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(res.schema
      ? { content: { [type]: { schema: { $ref: `#/components/schemas/${res.schema}` } } } }
      : type === 'application/json'
        ? {}
        : { content: { [type]: { schema: { type: 'string' } } } }),
  };
}

function security(route: RouteSpec, doc: OperationDoc): Record<string, string[]>[] {
  switch (route.auth) {
    case 'none':
      return [];
    case 'operator':
      return [{ awsSigV4: [] }, { operatorKey: [] }];
    case 'jwt':
      // OpenAPI 3.1 lets non-OAuth schemes list required roles: here, the scopes the route needs.
      return [{ bearerJwt: [...(route.scopes ?? [])] }, ...(doc.alsoApiKey ? [{ apiKey: [] }] : [])];
    case 'jwt-or-api-key':
      return [{ bearerJwt: [] }, { apiKey: [] }];
  }
}

function operationObject(route: RouteSpec, doc: OperationDoc): Record<string, unknown> {
  const pathParams = pathSegments(route.path)
    .filter((s) => s.startsWith('{'))
    .map((s) => s.slice(1, -1))
    .map((name) => ({
      name,
      in: 'path',
      required: true,
      description: PATH_PARAMS[name]?.description ?? name,
      schema: PATH_PARAMS[name]?.schema ?? { type: 'string' },
    }));
  const params = [
    ...pathParams,
    ...(doc.parameters ?? []).map((p) => ({
      name: p.name,
      in: p.in,
      required: p.required === true,
      description: p.description,
      schema: p.schema ?? { type: 'string' },
    })),
  ];
  const notes = [
    doc.description,
    route.requiresSub ? 'The token must carry `sub` (an end-user context).' : undefined,
    route.scopes?.length ? `Needs scope: ${route.scopes.join(', ')}.` : undefined,
  ].filter((s): s is string => s !== undefined);
  const successes = Object.fromEntries(Object.entries(doc.responses).map(([status, res]) => [status, successResponse(res)]));
  return {
    operationId: route.operation,
    summary: route.summary,
    ...(notes.length > 0 ? { description: notes.join(' ') } : {}),
    tags: [doc.tag],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(doc.requestBody
      ? {
          requestBody: {
            required: doc.requestBodyOptional !== true,
            ...(doc.requestContentType === undefined ? { description: JSON_BODY_NOTE } : {}),
            content: { [doc.requestContentType ?? 'application/json']: { schema: { $ref: `#/components/schemas/${doc.requestBody}` } } },
          },
        }
      : {}),
    responses: { ...successes, ...errorResponses(route, doc) },
    security: security(route, doc),
  };
}

export class MissingOperationDocError extends Error {
  constructor(readonly routes: string[]) {
    super(`No OpenAPI entry for ${routes.join(', ')}: add it to lambdas/gateway/openapi/operations.ts, then run npm run docs`);
    this.name = 'MissingOperationDocError';
  }
}

export function buildOpenApi(
  routes: readonly RouteSpec[] = ROUTES,
  docs: Readonly<Record<string, OperationDoc>> = OPERATION_DOCS,
): Record<string, unknown> {
  const missing = routes.map(routeKey).filter((k) => docs[k] === undefined);
  if (missing.length > 0) throw new MissingOperationDocError(missing);
  const paths: Record<string, Record<string, unknown>> = {};
  const sorted = [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const route of sorted) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operationObject(route, docs[routeKey(route)] as OperationDoc);
  }
  // Only the schemas the routes use (and those they reference), so the document has no orphans.
  const refsIn = (value: unknown): string[] =>
    [...JSON.stringify(value).matchAll(/#\/components\/schemas\/([A-Za-z]+)/g)].map((m) => m[1] as string);
  const used = new Set(refsIn(paths));
  for (const name of used) for (const inner of refsIn(SCHEMAS[name] ?? {})) used.add(inner);
  const schemas: Record<string, JsonSchema> = {};
  for (const name of Object.keys(SCHEMAS).sort()) if (used.has(name)) schemas[name] = SCHEMAS[name] as JsonSchema;
  return {
    openapi: '3.1.0',
    info: {
      title: 'WorkoutKit Gateway',
      version: API_VERSION,
      description: `The authentication perimeter of the WorkoutKit API. One deployment per tenant and stage; all paths are relative to a stage's base URL. Operator routes use IAM (SigV4) in AWS and the \`${ADMIN_KEY_HEADER}\` header on the local gateway. Errors are \`{"error", "error_description"}\` (GraphQL: its own format).`,
    },
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com/{stage}',
        variables: {
          apiId: { default: 'abc123' },
          region: { default: 'eu-west-1' },
          stage: { default: 'sandbox', enum: ['sandbox', 'prod'] },
        },
      },
      {
        url: 'https://{customDomain}',
        description: "a stage's custom domain, when the tenant config gives it one",
        variables: { customDomain: { default: 'api.example.com' } },
      },
      {
        url: 'http://127.0.0.1:3000/{stage}',
        description: 'the local gateway (npm start)',
        variables: { stage: { default: 'sandbox', enum: ['sandbox', 'prod'] } },
      },
    ],
    tags: TAGS.filter((t) => sorted.some((r) => docs[routeKey(r)]?.tag === t.name)),
    paths,
    components: { schemas, securitySchemes: SECURITY_SCHEMES },
  };
}
