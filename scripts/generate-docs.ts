/**
 * `npm run docs`: regenerates docs/openapi.json from the route table and the OpenAPI entries
 * (and docs/schema.graphql from the GraphQL schema once it exists). test/docs fails while the
 * committed files differ from what this writes.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOpenApi } from '../lambdas/gateway/openapi/document';

export const OPENAPI_FILE = path.resolve(__dirname, '..', 'docs', 'openapi.json');

export function renderOpenApi(): string {
  return `${JSON.stringify(buildOpenApi(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  console.log(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}
