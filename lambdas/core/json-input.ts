/**
 * Bounds on any JSON a client sends, checked once right after parsing and before any
 * handler walks, serializes or stores it:
 *  - depth: JSON.parse accepts nesting that JSON.stringify, recursive walkers and the
 *    DynamoDB marshaller then overflow the stack on, so the walk here is iterative;
 *  - keys: `__proto__` is dropped by the marshaller (the stored item would differ from the
 *    request) and assigning it elsewhere sets a prototype; `constructor` and `prototype` make
 *    the marshaller take a plain map for a class instance and fail. Neither is data;
 *  - numbers: what a DynamoDB Number attribute holds from a JavaScript number without loss:
 *    the Document client refuses anything above Number.MAX_SAFE_INTEGER (it would round),
 *    and DynamoDB itself keeps magnitudes from 1E-130 to 9.9999999999999999999999999999999999999E+125
 *    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number
 * Every refusal is 400 invalid_request, never a 5xx from deeper down.
 */
import { InvalidRequestError } from './errors';

/** Deeper than any request body of the contract needs (session content nests about 5). */
export const MAX_JSON_DEPTH = 32;
export const RESERVED_JSON_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** The smallest non-zero magnitude DynamoDB stores. */
export const MIN_STORABLE_MAGNITUDE = 1e-130;

/** True when a number survives a round trip through a DynamoDB Number attribute. */
export function isStorableNumber(n: number): boolean {
  if (!Number.isFinite(n)) return false;
  const m = Math.abs(n);
  return m === 0 || (m <= Number.MAX_SAFE_INTEGER && m >= MIN_STORABLE_MAGNITUDE);
}

/**
 * Depth of a JSON value (a scalar is 0, `{}` and `[]` are 1), walked without recursion;
 * stops as soon as `limit` is passed, so a hostile value costs at most that much work per
 * branch.
 */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: { v: unknown; d: number }[] = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop() as { v: unknown; d: number };
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push({ v: child, d: d + 1 });
    }
  }
  return false;
}

/** Refuses what no handler should see: see the module comment. `what` names the input in the answer. */
export function checkJsonInput(value: unknown, what = 'Body'): void {
  const stack: { v: unknown; d: number }[] = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop() as { v: unknown; d: number };
    if (typeof v === 'number') {
      if (!isStorableNumber(v)) {
        throw new InvalidRequestError(
          `${what} holds a number outside what can be stored: integers up to 2^53-1 in magnitude, fractions down to 1e-130`,
        );
      }
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > MAX_JSON_DEPTH) throw new InvalidRequestError(`${what} nests deeper than ${MAX_JSON_DEPTH} levels`);
    if (Array.isArray(v)) {
      for (const child of v) stack.push({ v: child, d: d + 1 });
      continue;
    }
    // JSON.parse makes `__proto__` an own property, so Object.keys sees it.
    for (const key of Object.keys(v)) {
      if (RESERVED_JSON_KEYS.has(key)) throw new InvalidRequestError(`${what} uses the reserved key ${key}`);
      stack.push({ v: (v as Record<string, unknown>)[key], d: d + 1 });
    }
  }
}

/** JSON.parse, then checkJsonInput: the one way client JSON text becomes a value. */
export function parseJsonInput(text: string, what = 'Body'): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidRequestError(`${what} is not valid JSON`);
  }
  checkJsonInput(value, what);
  return value;
}
