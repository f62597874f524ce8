/**
 * Every request body and parameter is declared once as a schema (this folder and the modules
 * that use it) and read with `parseInput`: the same declaration the OpenAPI document is
 * generated from (lambdas/gateway/openapi/json-schema.ts), so what the document says is what
 * the API accepts. A refusal is the contract's 400 invalid_request whose text names the field.
 *
 * Valibot was chosen for its bundle cost (docs/benchmarks.md, "Request schemas"): it
 * tree-shakes to the actions a function uses.
 */
import * as v from 'valibot';
import { InvalidRequestError } from '../errors';

export type Schema = v.GenericSchema;
type Issue = v.BaseIssue<unknown>;

/** `coach.name`, `blocks[0].exercises[1].reps`: the field an issue is about. */
export function fieldOf(issue: Issue): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key?: unknown }).key;
    out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  }
  return out;
}

/** A key the schema does not declare (valibot reports it with `expected: never`). */
function isUnknownKey(issue: Issue): boolean {
  return issue.expected === 'never' && issue.path?.at(-1)?.origin === 'key';
}

function isMissingKey(issue: Issue): boolean {
  return issue.received === 'undefined' && issue.path?.at(-1)?.origin === 'key';
}

export interface InputOptions {
  /** What the value is, for answers about the value as a whole (`body`, `issuedBefore`). */
  readonly what?: string;
  /** The answer for an undeclared field; default `unknown field <name>`. */
  readonly unknownField?: (field: string) => string;
}

/** Marks an issue whose schema gives no text of its own (its answer is made from the issue). */
const NO_TEXT = '\u0000';

function fallbackMessage(issue: Issue, field: string, options: InputOptions): string {
  if (isUnknownKey(issue)) return options.unknownField?.(field) ?? `unknown field ${field}`;
  if (isMissingKey(issue)) return `${field} is required`;
  if (field === '') return `${options.what ?? 'body'} must be a JSON object`;
  return issue.type.endsWith('object') ? `${field} must be an object` : `${field} is not valid (expected ${issue.expected ?? issue.type})`;
}

/**
 * Validates `input` against `schema`: the typed value, or InvalidRequestError with the text
 * of the first problem (an undeclared field first, as it is the likeliest typo). Schemas give
 * rules without their field (`must be an integer from 1 to 10`) and the answer puts the
 * field's path in front: valibot only knows the path once the whole value has been read.
 */
export function parseInput<S extends Schema>(schema: S, input: unknown, options: InputOptions = {}): v.InferOutput<S> {
  const what = options.what ?? 'body';
  // valibot reads an array as an object without keys; no request value here is a JSON array.
  if (Array.isArray(input)) throw new InvalidRequestError(`${what} must be a JSON object`);
  const result = v.safeParse(schema, input, { abortPipeEarly: true, message: () => NO_TEXT });
  if (result.success) return result.output;
  const issue = result.issues.find((i) => isUnknownKey(i)) ?? result.issues[0];
  const field = fieldOf(issue);
  throw new InvalidRequestError(
    issue.message === NO_TEXT || isUnknownKey(issue)
      ? fallbackMessage(issue, field, options)
      : `${field === '' ? what : field} ${issue.message}`,
  );
}

/** An integer in [min, max], with one text for every way a value misses it. */
export const integer = (min: number, max: number) => {
  const m = `must be an integer from ${min} to ${max}`;
  return v.pipe(v.number(m), v.integer(m), v.minValue(min, m), v.maxValue(max, m));
};
