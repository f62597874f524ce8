/**
 * `npm run docs`: regenerates docs/openapi.json from the route table and the OpenAPI entries,
 * docs/api.md (the readable reference) from that same description, and docs/schema.graphql
 * from the GraphQL schema. test/docs fails while the committed files differ from what this writes.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printedSchema } from '../lambdas/core/graphql/schema';
import { buildOpenApi } from '../lambdas/gateway/openapi/document';
import { renderApiReference } from './api-reference';

export const OPENAPI_FILE = path.resolve(__dirname, '..', 'docs', 'openapi.json');

/** The SDL the running GraphQL endpoint serves; test/core/graphql.test.ts compares the file with it. */
export const SDL_FILE = path.resolve(__dirname, '..', 'docs', 'schema.graphql');

export const API_REFERENCE_FILE = path.resolve(__dirname, '..', 'docs', 'api.md');

export function renderOpenApi(): string {
  return `${JSON.stringify(buildOpenApi(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  writeFileSync(API_REFERENCE_FILE, renderApiReference(buildOpenApi()));
  writeFileSync(SDL_FILE, `${printedSchema().trim()}\n`);
  for (const f of [OPENAPI_FILE, API_REFERENCE_FILE, SDL_FILE]) console.log(`wrote ${path.relative(process.cwd(), f)}`);
}
