/**
 * docs/api.md: the API reference a clone can read without a browser, rendered from the same
 * OpenAPI description the gateway serves (itself generated from the route table), so the page
 * cannot say what the API does not do. `npm run docs` writes it; test/docs compares.
 */
import { ROUTES, type AuthMode, type RouteSpec } from '../lambdas/gateway/routes';

type Json = Record<string, unknown>;

const AUTH: Readonly<Record<AuthMode, string>> = {
  none: 'none (the body authenticates, where it must)',
  jwt: 'bearer JWT (the Lambda authorizer)',
  'jwt-or-api-key': "bearer JWT, or the client's API key in `x-api-key`",
  operator: 'operator: AWS SigV4 in AWS, `X-WorkoutKit-Admin-Key` locally',
};

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The component a `$ref` names, or the schema itself. */
function resolve(doc: Json, schema: Json | undefined): Json | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/components/schemas/', '');
  return ((doc.components as Json).schemas as Json)[name] as Json | undefined;
}

function typeOf(doc: Json, schema: Json | undefined): string {
  if (!schema) return '';
  if (typeof schema.$ref === 'string') return `\`${schema.$ref.replace('#/components/schemas/', '')}\``;
  if ('const' in schema) return `\`${JSON.stringify(schema.const)}\``;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (Array.isArray(schema.oneOf)) return (schema.oneOf as Json[]).map((s) => typeOf(doc, s)).join(' or ');
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map((s) => typeOf(doc, s)).join(' or ');
  const t = Array.isArray(schema.type) ? schema.type.join(' \\| ') : typeof schema.type === 'string' ? schema.type : 'any';
  if (t === 'array') return `array of ${typeOf(doc, schema.items as Json | undefined) || 'any'}`;
  return t;
}

/** A table of an object schema's members; other shapes as one line. */
function members(doc: Json, schema: Json | undefined): string[] {
  const s = resolve(doc, schema);
  if (!s) return [];
  const name = typeof schema?.$ref === 'string' ? schema.$ref.replace('#/components/schemas/', '') : undefined;
  const variants = (s.oneOf ?? s.anyOf) as Json[] | undefined;
  if (variants && !s.properties) {
    // A union of objects (the session kinds): each variant's members, named by the member whose value is fixed.
    if (variants.every((v) => resolve(doc, v)?.properties !== undefined)) {
      const label = (v: Json): string => {
        const fixed = Object.entries((resolve(doc, v)?.properties ?? {}) as Record<string, Json>).find(([, p]) => 'const' in p);
        return fixed ? `\`${fixed[0]}: ${JSON.stringify(fixed[1].const)}\`` : typeOf(doc, v);
      };
      return [`${name ? `\`${name}\`: ` : ''}one of ${variants.map(label).join(', ')}.`, '', ...variants.flatMap((v) => members(doc, v))];
    }
    return [`${name ? `\`${name}\`: ` : ''}one of ${variants.map((v) => typeOf(doc, v)).join(', ')}.`, ''];
  }
  const props = s.properties as Record<string, Json> | undefined;
  if (!props) return [`${name ? `\`${name}\`: ` : ''}${typeOf(doc, s)}.`, ''];
  const required = new Set((s.required as string[] | undefined) ?? []);
  const out = [`${name ? `\`${name}\`` : 'Body'}:`, '', '| member | type | required | notes |', '|---|---|---|---|'];
  for (const [key, value] of Object.entries(props)) {
    const notes = [value.description, typeof value.pattern === 'string' ? `pattern \`${value.pattern}\`` : undefined].filter(
      (x) => typeof x === 'string',
    );
    out.push(`| \`${key}\` | ${esc(typeOf(doc, value))} | ${required.has(key) ? 'yes' : ''} | ${esc(notes.join('; '))} |`);
  }
  out.push('');
  return out;
}

function section(doc: Json, route: RouteSpec): string[] {
  const op = ((doc.paths as Json)[route.path] as Json)[route.method.toLowerCase()] as Json;
  const out = [`### \`${route.method} ${route.path}\``, '', `${route.summary}.`, ''];
  out.push(`- Operation: \`${route.operation}\`, served by the \`${route.function}\` function`);
  out.push(`- Authentication: ${AUTH[route.auth]}`);
  if (route.scopes?.length) out.push(`- Scopes: ${route.scopes.map((s) => `\`${s}\``).join(', ')}`);
  if (route.requiresSub) out.push('- The token must carry `sub` (an end user)');
  out.push('');
  const params = (op.parameters as Json[] | undefined) ?? [];
  if (params.length > 0) {
    out.push('| parameter | in | required | notes |', '|---|---|---|---|');
    for (const p of params)
      out.push(
        `| \`${String(p.name)}\` | ${String(p.in)} | ${p.required ? 'yes' : ''} | ${esc(typeof p.description === 'string' ? p.description : '')} |`,
      );
    out.push('');
  }
  const body = op.requestBody as Json | undefined;
  if (body) {
    const content = body.content as Record<string, Json>;
    for (const [type, media] of Object.entries(content)) {
      out.push(`Request body (\`${type}\`${body.required ? '' : ', optional'}):`, '');
      out.push(...members(doc, media.schema as Json | undefined));
    }
  }
  out.push('| status | meaning |', '|---|---|');
  for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
    out.push(`| ${status} | ${esc(typeof response.description === 'string' ? response.description : '')} |`);
  }
  out.push('');
  return out;
}

export function renderApiReference(doc: Json): string {
  const tags = (doc.tags as { name: string; description: string }[]) ?? [];
  const out = [
    '# API reference',
    '',
    '<!-- Generated by `npm run docs` from the route table (lambdas/gateway/routes.ts) and the OpenAPI',
    '     description (docs/openapi.json, also served at GET /openapi.json). Edit those, not this file. -->',
    '',
    'Every route of the gateway, grouped as in the OpenAPI description. Error bodies are',
    '`{"error": "<code>", "error_description": "..."}` (on `POST /graphql` also GraphQL\'s `errors` list);',
    'the codes and what to do about each are in [integrators.md](integrators.md). The machine-readable',
    'form of this page is [openapi.json](openapi.json).',
    '',
  ];
  for (const tag of tags) {
    const routes = ROUTES.filter((r) => {
      const op = ((doc.paths as Json)[r.path] as Json | undefined)?.[r.method.toLowerCase()] as Json | undefined;
      return (op?.tags as string[] | undefined)?.[0] === tag.name;
    });
    if (routes.length === 0) continue;
    out.push(`## ${tag.name}`, '', `${tag.description}.`, '');
    for (const route of routes) out.push(...section(doc, route));
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
