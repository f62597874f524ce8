/**
 * Request schemas (lambdas/core/schemas and the core modules that declare their bodies) as
 * JSON Schema 2020-12, the dialect of OpenAPI 3.1: the document's request bodies and
 * parameters are these conversions, never a second description.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type { Schema } from '../../core/schemas/validate';

export type JsonSchema = { readonly [key: string]: unknown };

/** Checks that JSON Schema cannot say (a URL without credentials, a cross-field rule) are stated by `metadata` beside them. */
const PROSE_ONLY_ACTIONS = new Set(['check']);

export function jsonSchemaOf(schema: Schema): JsonSchema {
  const out = toJsonSchema(schema, {
    target: 'draft-2020-12',
    overrideAction: ({ valibotAction, jsonSchema }) => (PROSE_ONLY_ACTIONS.has(valibotAction.type) ? jsonSchema : undefined),
  }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}
