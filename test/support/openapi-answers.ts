/**
 * Holds every answer the local gateway gives a test to docs/openapi.json: the status must be
 * one the operation documents, and a JSON body must match that status's schema (ajv, JSON
 * Schema 2020-12 as OpenAPI 3.1 uses it). test/support/local-gateway.ts checks each call, so
 * an integration test that meets an undocumented answer fails where it met it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { findRoute } from '../../lambdas/gateway/routes';

type Json = Record<string, unknown>;
const DOC_ID = 'openapi';
let state: { doc: Json; ajv: Ajv2020; compiled: Map<string, ValidateFunction> } | undefined;

function load(): NonNullable<typeof state> {
  if (state) return state;
  const doc = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8')) as Json;
  // Formats (date-time, uri) are annotations in 2020-12; OpenAPI keywords (discriminator, x-*) are not JSON Schema ones.
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
  ajv.addSchema(doc, DOC_ID);
  state = { doc, ajv, compiled: new Map() };
  return state;
}

const pointer = (...parts: string[]): string => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * undefined when the answer is what the document says; else what differs. Requests that match
 * no route (a 404 or 405 of the router) and CORS preflights are not operations of the document.
 */
export function answerMismatch(
  method: string,
  requestPath: string,
  status: number,
  contentType: string | null,
  text: string,
): string | undefined {
  if (method === 'OPTIONS' || method === 'HEAD') return undefined;
  const lookup = findRoute(method, requestPath);
  if (lookup.kind !== 'match') return undefined;
  const { route } = lookup.match;
  const { doc, ajv, compiled } = load();
  const op = ((doc.paths as Record<string, Record<string, Json>>)[route.path] ?? {})[method.toLowerCase()];
  const where = `${method} ${route.path} → ${status}`;
  const responses = (op?.responses ?? {}) as Record<string, Json>;
  const res = responses[String(status)];
  if (!res) return `${where}: status not documented (documented: ${Object.keys(responses).join(', ')}); body ${text.slice(0, 300)}`;
  const content = res.content as Record<string, Json> | undefined;
  const isJson = (contentType ?? '').toLowerCase().startsWith('application/json');
  // No schema (204, the portal's text, a body the document only describes in words): the status is the check.
  if (!content || !content['application/json']) return undefined;
  if (!isJson) return `${where}: Content-Type ${contentType ?? '(none)'}, the document says application/json`;
  const key = `${route.path} ${method} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile({
      $ref: `${DOC_ID}#/${pointer('paths', route.path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}`,
    });
    compiled.set(key, validate);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${where}: the body is not JSON`;
  }
  if (validate(body)) return undefined;
  return `${where}: ${ajv.errorsText(validate.errors)}; body ${text.slice(0, 500)}`;
}
