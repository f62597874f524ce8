/**
 * docs/openapi.json is generated from the route table: it must match what `npm run docs`
 * writes, cover every route, resolve every reference, and be what GET /openapi.json serves.
 */
import { readFileSync } from 'node:fs';
import { STATUS_OF, type ErrorCode } from '../../lambdas/core/errors';
import { buildOpenApi, MissingOperationDocError, routeKey } from '../../lambdas/gateway/openapi/document';
import { OPERATION_DOCS } from '../../lambdas/gateway/openapi/operations';
import { ROUTES, type RouteSpec } from '../../lambdas/gateway/routes';
import { renderApiReference } from '../../scripts/api-reference';
import { API_REFERENCE_FILE, OPENAPI_FILE, renderOpenApi } from '../../scripts/generate-docs';
import { startTestGateway } from '../support/local-gateway';

type Json = Record<string, unknown>;
const doc = buildOpenApi() as Json & { paths: Record<string, Record<string, Json>>; components: { schemas: Json; securitySchemes: Json } };
const operations = Object.entries(doc.paths).flatMap(([p, methods]) =>
  Object.entries(methods).map(([m, op]) => ({ path: p, method: m.toUpperCase(), op })),
);

describe('the OpenAPI description', () => {
  it('is committed exactly as npm run docs generates it', () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    // On failure: run `npm run docs` and commit docs/openapi.json.
    expect(committed).toBe(renderOpenApi());
  });

  it('is rendered as docs/api.md exactly as npm run docs writes it, every route with a section', () => {
    const committed = readFileSync(API_REFERENCE_FILE, 'utf8');
    // On failure: run `npm run docs` and commit docs/api.md.
    expect(committed).toBe(renderApiReference(doc));
    expect(ROUTES.filter((r) => !committed.includes(`### \`${routeKey(r)}\``)).map(routeKey)).toEqual([]);
  });

  it('has an operation for every route of the table, with the route id as operationId', () => {
    expect(ROUTES.filter((r) => OPERATION_DOCS[routeKey(r)] === undefined).map(routeKey)).toEqual([]);
    expect(operations.map((o) => `${o.method} ${o.path} ${String(o.op.operationId)}`).sort()).toEqual(
      ROUTES.map((r) => `${routeKey(r)} ${r.operation}`).sort(),
    );
  });

  it('refuses to generate when a route has no entry, naming the route and the fix', () => {
    const extra: RouteSpec = { method: 'GET', path: '/v1/unknown', function: 'api', operation: 'unknownThing', auth: 'jwt', summary: 'x' };
    expect(() => buildOpenApi([...ROUTES, extra])).toThrow(MissingOperationDocError);
    expect(() => buildOpenApi([...ROUTES, extra])).toThrow(
      /GET \/v1\/unknown: add it to lambdas\/gateway\/openapi\/operations\.ts, then run npm run docs/,
    );
  });

  it('resolves every $ref and declares every path parameter', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(schemas|securitySchemes)\/([A-Za-z]+)"/g)];
    expect(refs.length).toBeGreaterThan(0);
    for (const [, kind, name] of refs) expect(Object.keys(doc.components[kind as 'schemas'])).toContain(name);
    for (const { path, op } of operations) {
      const declared = ((op.parameters as Json[] | undefined) ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(declared.sort()).toEqual([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort());
    }
  });

  it('states each route’s security: bearer JWT, IAM SigV4 or the operator key, or none', () => {
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()] as Json;
      const schemes = (op.security as Json[]).flatMap((s) => Object.keys(s));
      if (route.auth === 'none') expect(schemes).toEqual([]);
      if (route.auth === 'operator') expect(schemes).toEqual(['awsSigV4', 'operatorKey']);
      if (route.auth === 'jwt') expect(schemes[0]).toBe('bearerJwt');
    }
    expect(doc.components.securitySchemes).toMatchObject({
      bearerJwt: { scheme: 'bearer', bearerFormat: 'JWT' },
      awsSigV4: { 'x-amazon-apigateway-authtype': 'awsSigv4' },
    });
  });

  it('documents the contract error object under the status each code has', () => {
    expect(doc.components.schemas.Error).toMatchObject({ required: ['error', 'error_description'] });
    for (const { op } of operations) {
      for (const [status, res] of Object.entries(op.responses as Record<string, Json>)) {
        if (Number(status) < 400) continue;
        const schema = (res.content as Record<string, { schema: Json }>)['application/json']?.schema as Json;
        const parts = schema.allOf as [Json, { properties: { error: { enum: ErrorCode[] } } }] | undefined;
        if (!parts) {
          expect(schema.$ref).toBe('#/components/schemas/GraphQLErrorResponse');
          continue;
        }
        for (const code of parts[1].properties.error.enum) expect(STATUS_OF[code]).toBe(Number(status));
      }
      expect(Object.keys(op.responses as Json)).toContain('503');
    }
    const verify = doc.paths['/v1/auth/verify']?.get as { responses: Record<string, Json> };
    expect(verify.responses['401']?.headers).toHaveProperty('WWW-Authenticate');
  });

  it('is served at GET /openapi.json without authentication', async () => {
    const gw = await startTestGateway();
    try {
      const res = await gw.call('sandbox', 'GET', '/openapi.json');
      expect(res.status).toBe(200);
      expect(res.json).toEqual(doc);
    } finally {
      await gw.close();
    }
  });
});
