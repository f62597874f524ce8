/**
 * Bounds on a GraphQL document, all checked BEFORE execution, so nothing runs (no read,
 * no token issued) for a document over a limit:
 *  - size: the body is at most 64 KiB (runtime/http.ts) and parse() stops after MAX_TOKENS;
 *  - depth: nesting of fields AND fragments (a fragment spread or inline fragment is a
 *    level too, so a chain of fragments counts however few fields it reaches);
 *  - cost: graphql-query-complexity with list fields weighted by their bound and the
 *    session field, which reads the table and signs a token, weighted heavily;
 *  - at most one publicWorkoutSession per document (one token binds one payload).
 * Every refusal is 400 invalid_request (contract, "Errors").
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  type SelectionSetNode,
} from 'graphql';
import { type ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { InvalidRequestError } from '../errors';

export const MAX_TOKENS = 5000;
export const MAX_DEPTH = 8;
export const MAX_COST = 1000;
export const SESSION_FIELD = 'publicWorkoutSession';

/** Weights: the session field costs a read and a signature; lists multiply their items' cost. */
export const FIELD_COST: Readonly<Record<string, (child: number) => number>> = {
  'Query.publicWorkoutSession': (child) => 50 + child,
  'WorkoutBlockSession.blocks': (child) => 1 + 10 * child,
  'WorkoutBlock.exercises': (child) => 1 + 10 * child,
};

const weighted: ComplexityEstimator = ({ type, field, childComplexity }) => FIELD_COST[`${type.name}.${field.name}`]?.(childComplexity);

export function fragmentsOf(doc: DocumentNode): Record<string, FragmentDefinitionNode> {
  const out: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) out[d.name.value] = d;
  return out;
}

/** Depth of a selection set; fragment depths are memoized so shared fragments cost once. */
export function selectionDepth(set: SelectionSetNode, fragments: Readonly<Record<string, FragmentDefinitionNode>>): number {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const walk = (s: SelectionSetNode): number => {
    let max = 0;
    for (const sel of s.selections) {
      let d: number;
      if (sel.kind === Kind.FIELD) d = 1 + (sel.selectionSet ? walk(sel.selectionSet) : 0);
      else if (sel.kind === Kind.INLINE_FRAGMENT) d = 1 + walk(sel.selectionSet);
      else {
        const name = sel.name.value;
        const frag = fragments[name];
        // Unknown or cyclic fragments are validation errors (reported there), not depth.
        if (!frag || visiting.has(name)) continue;
        let inner = memo.get(name);
        if (inner === undefined) {
          visiting.add(name);
          inner = walk(frag.selectionSet);
          visiting.delete(name);
          memo.set(name, inner);
        }
        d = 1 + inner;
      }
      if (d > max) max = d;
    }
    return max;
  };
  return walk(set);
}

export function selectedOperation(doc: DocumentNode, operationName: string | undefined): OperationDefinitionNode {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName === undefined ? (ops.length === 1 ? ops[0] : undefined) : ops.find((o) => o.name?.value === operationName);
  if (!op)
    throw new InvalidRequestError(
      operationName === undefined ? 'Several operations: give operationName' : `No operation named ${operationName}`,
    );
  if (op.operation !== OperationTypeNode.QUERY) throw new InvalidRequestError('Only queries are supported');
  return op;
}

/** Root-level publicWorkoutSession selections, whatever @skip/@include say (aliases count). */
export function sessionFieldCount(
  set: SelectionSetNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  seen = new Set<string>(),
): number {
  let n = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) n += sel.name.value === SESSION_FIELD ? 1 : 0;
    else if (sel.kind === Kind.INLINE_FRAGMENT) n += sessionFieldCount(sel.selectionSet, fragments, seen);
    else {
      const frag = fragments[sel.name.value];
      if (frag && !seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        n += sessionFieldCount(frag.selectionSet, fragments, seen);
      }
    }
  }
  return n;
}

/** Depth: run right after parse (before validation). */
export function checkDepth(op: OperationDefinitionNode, fragments: Readonly<Record<string, FragmentDefinitionNode>>): void {
  const depth = selectionDepth(op.selectionSet, fragments);
  if (depth > MAX_DEPTH) throw new InvalidRequestError(`Query depth ${depth} is over the limit of ${MAX_DEPTH} (fields and fragments)`);
}

/** Cost and the one-session rule: run after validation, before execution. */
export function checkCost(schema: GraphQLSchema, doc: DocumentNode, op: OperationDefinitionNode, variables: Record<string, unknown>): void {
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: doc,
      variables,
      ...(op.name ? { operationName: op.name.value } : {}),
      estimators: [weighted, simpleEstimator({ defaultComplexity: 1 })],
      maxQueryNodes: 2000,
    });
  } catch (cause) {
    throw new InvalidRequestError('Query is too large to evaluate', { cause });
  }
  if (cost > MAX_COST) throw new InvalidRequestError(`Query cost ${cost} is over the limit of ${MAX_COST}`);
  if (sessionFieldCount(op.selectionSet, fragmentsOf(doc)) > 1) {
    throw new InvalidRequestError(`At most one ${SESSION_FIELD} per request: a WorkoutKitToken binds one payload`);
  }
}
