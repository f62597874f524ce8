/**
 * For every route with a body or parameters, the smallest request docs/openapi.json allows
 * (made from the document's own schemas by `smallest` below) must pass validation: whatever
 * the answer (a 404 for a session that does not exist, a 401 for an unknown client), it is
 * never 400 invalid_request. So a rule the validators enforce but the document does not state
 * fails here. The request goes over HTTP through the local gateway, which also holds each
 * answer to the document (test/support/openapi-answers.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROUTES, type RouteSpec } from '../../lambdas/gateway/routes';
import { createClient } from '../support/clients';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

type Json = Record<string, unknown>;
const doc = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8')) as Json;

function resolve(schema: Json): Json {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const target = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Json)[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  return resolve(target as Json);
}

/** Strings tried, in order, against a string schema's pattern, length and format. */
const STRING_CANDIDATES = [
  'abc',
  'https://example.com/media',
  'session.completed',
  'example-device-0001',
  '2026-01-01T00:00:00Z',
  'A'.repeat(43),
  'a',
];

function smallestString(s: Json): string {
  const pattern = typeof s.pattern === 'string' ? new RegExp(s.pattern, 'u') : undefined;
  const fits = (c: string) =>
    (pattern === undefined || pattern.test(c)) &&
    c.length >= ((s.minLength as number | undefined) ?? 0) &&
    c.length <= ((s.maxLength as number | undefined) ?? Infinity) &&
    (s.format !== 'uri' || /^https:\/\//.test(c)) &&
    (s.format !== 'date-time' || !Number.isNaN(Date.parse(c)));
  const found = STRING_CANDIDATES.find(fits);
  if (found === undefined) throw new Error(`no candidate string fits ${JSON.stringify(s)}: add one to STRING_CANDIDATES`);
  return found;
}

/** The smallest value `schema` allows: required members only, the first branch of a choice, lower bounds. */
export function smallest(input: Json): unknown {
  const schema = resolve(input);
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const choice = (schema.oneOf ?? schema.anyOf) as Json[] | undefined;
  if (choice && choice.length > 0) {
    const { oneOf: _o, anyOf: _a, ...rest } = schema;
    const branch = resolve(choice[0] as Json);
    // A branch that only adds `required` (or `not`) narrows the parent object; otherwise it is the whole value.
    if (branch.type === undefined && branch.properties === undefined && rest.type === 'object') {
      return smallest({
        ...rest,
        required: [...((rest.required as string[] | undefined) ?? []), ...((branch.required as string[] | undefined) ?? [])],
      });
    }
    return smallest(branch);
  }
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Json>;
      const names = new Set((schema.required as string[] | undefined) ?? []);
      for (const name of Object.keys(props)) if (names.size < ((schema.minProperties as number | undefined) ?? 0)) names.add(name);
      return Object.fromEntries([...names].map((n) => [n, smallest(props[n] ?? {})]));
    }
    case 'array':
      return Array.from({ length: (schema.minItems as number | undefined) ?? 0 }, () => smallest((schema.items ?? {}) as Json));
    case 'string':
      return smallestString(schema);
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return {};
  }
}

const operationOf = (route: RouteSpec) =>
  ((doc.paths as Record<string, Record<string, Json>>)[route.path] ?? {})[route.method.toLowerCase()] as Json;
const parametersOf = (route: RouteSpec) =>
  ((operationOf(route).parameters ?? []) as Json[]).map((p) => p as { name: string; in: string; required?: boolean; schema: Json });
const bodyOf = (route: RouteSpec) =>
  operationOf(route).requestBody as { required: boolean; content: Record<string, { schema: Json }> } | undefined;
const routesWithInput = ROUTES.filter((r) => bodyOf(r) !== undefined || parametersOf(r).length > 0);

describe('the smallest request the OpenAPI document allows', () => {
  let gw: TestGateway;
  let token: string;
  const own = 'minimal-caller';

  beforeAll(async () => {
    gw = await startTestGateway();
    const secret = await createClient(gw, 'sandbox', own, { scopes: ['read', 'write', 'settings'] });
    const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: own, clientSecret: secret, sub: 'user-1' } });
    token = issued.body.token as string;
  });
  afterAll(() => gw.close());

  it('covers the routes that take a body or parameters', () => {
    expect(routesWithInput.map((r) => r.operation)).toEqual(
      expect.arrayContaining(['putSession', 'createClient', 'updateClient', 'recordEvent', 'graphql', 'launchSession']),
    );
  });

  it.each(routesWithInput.map((r) => [`${r.method} ${r.path}`, r] as const))('%s passes validation', async (_name, route) => {
    const params = parametersOf(route);
    // JWT routes with {clientName} act only on the caller's own client (the name is still one the schema allows).
    const path = route.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
      name === 'clientName' && route.auth !== 'operator'
        ? own
        : encodeURIComponent(String(smallest(params.find((p) => p.name === name)?.schema ?? {}))),
    );
    const headers: Record<string, string> = {};
    for (const p of params) if (p.in === 'header' && p.required) headers[p.name] = String(smallest(p.schema));
    const query = Object.fromEntries(params.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, String(smallest(p.schema))]));
    const body = bodyOf(route);
    const mediaType = body ? Object.keys(body.content)[0] : undefined;
    let sent: unknown;
    if (body && (body.required || mediaType !== 'application/json')) {
      const value = smallest(body.content[mediaType as string]?.schema ?? {});
      if (mediaType === 'application/x-www-form-urlencoded') {
        sent = new URLSearchParams(value as Record<string, string>).toString();
        headers['content-type'] = mediaType;
      } else sent = value;
    }
    if (route.auth === 'operator') headers['X-WorkoutKit-Admin-Key'] = gw.gateway.stages.sandbox.adminKey;
    const res = await gw.call('sandbox', route.method, path, {
      headers,
      ...(Object.keys(query).length > 0 ? { query } : {}),
      ...(route.auth === 'jwt' || route.auth === 'jwt-or-api-key' ? { token } : {}),
      ...(sent === undefined ? {} : { body: sent }),
    });
    expect({ route: `${route.method} ${route.path}`, sent, status: res.status, error: res.body.error }).not.toMatchObject({
      status: 400,
      error: 'invalid_request',
    });
    expect(res.status).toBeLessThan(500);
  });
});
