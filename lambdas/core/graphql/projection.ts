/**
 * The payload a GraphQL answer carries, for the payloadDigest: the REST payload restricted
 * to the fields the query selected for the session's runtime type, keyed by field NAME
 * (aliases are the client's own labels; the same field under two aliases counts once, with
 * the union of its sub-selections), without `__typename` and `workoutKitToken`. Fields are
 * collected with graphql-js's own collectFields, so @skip/@include, fragments and type
 * conditions mean here exactly what they mean to the executor.
 */
import {
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  isObjectType,
} from 'graphql';
// Internal but stable across graphql@16; the same function the executor uses.
import { collectSubfields } from 'graphql/execution/collectFields';
import { NON_PAYLOAD_FIELDS } from './schema';

type Json = Record<string, unknown>;

export interface SelectionScope {
  schema: GraphQLSchema;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  variables: Readonly<Record<string, unknown>>;
}

export function projectSelection(scope: SelectionScope, type: GraphQLObjectType, fieldNodes: readonly FieldNode[], value: Json): Json {
  const grouped = collectSubfields(scope.schema, scope.fragments, { ...scope.variables }, type, fieldNodes);
  const byName = new Map<string, FieldNode[]>();
  for (const nodes of grouped.values()) {
    for (const node of nodes) {
      const name = node.name.value;
      if (NON_PAYLOAD_FIELDS.has(name)) continue;
      byName.set(name, [...(byName.get(name) ?? []), node]);
    }
  }
  const out: Json = {};
  const fields = type.getFields();
  for (const [name, nodes] of byName) {
    const field = fields[name];
    if (!field) continue;
    const named = getNamedType(field.type);
    const v = value[name];
    if (isObjectType(named) && v !== null && typeof v === 'object') {
      out[name] = Array.isArray(v)
        ? v.map((item) => projectSelection(scope, named, nodes, item as Json))
        : projectSelection(scope, named, nodes, v as Json);
    } else {
      out[name] = v === undefined ? null : v;
    }
  }
  return out;
}

/**
 * What an SDK does with `data.publicWorkoutSession` before payloadDigest(): drop every
 * `__typename` and the `workoutKitToken` member (a query without aliases inside the
 * session selection then yields exactly the server's projection).
 */
export function graphqlPayload(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(graphqlPayload);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) if (!NON_PAYLOAD_FIELDS.has(k)) out[k] = graphqlPayload(v);
  return out;
}
