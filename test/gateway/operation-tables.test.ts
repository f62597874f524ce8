/**
 * Operation ids are types derived from the route table: each function's operation table must
 * implement exactly the routes the table gives it. The `@ts-expect-error` lines are the test:
 * `npm test` type-checks this file first, and an expected error that does not occur fails it.
 */
import { ROUTES, type OperationIdOf, type ServedFunction } from '../../lambdas/gateway/routes';
import type { Operation, OperationTable } from '../../lambdas/runtime/http';

const op: Operation = async () => ({ status: 204 });

/** A table with every operation of `fn`, built from the route table at run time. */
function fullTable<F extends ServedFunction>(fn: F): OperationTable<F> {
  return Object.fromEntries(ROUTES.filter((r) => r.function === fn).map((r) => [r.operation, op])) as OperationTable<F>;
}

// @ts-expect-error a route of the admin function without an implementation
const missing: OperationTable<'admin'> = { createClient: op };

const extra: OperationTable<'authtoken'> = {
  issueToken: op,
  oauthToken: op,
  // @ts-expect-error an implementation without a route
  issueTokenTwice: op,
};

// @ts-expect-error an operation id of another function
const wrongFunction: OperationIdOf<'public'> = 'createClient';

it('derives each function’s operation ids from the route table, every route served by exactly one function', () => {
  const served = new Map<string, string>();
  for (const route of ROUTES) {
    expect(served.has(route.operation)).toBe(false);
    served.set(route.operation, route.function);
  }
  const functions = [...new Set(ROUTES.map((r) => r.function))];
  const total = functions.reduce((n, fn) => n + Object.keys(fullTable(fn)).length, 0);
  expect(total).toBe(ROUTES.length);
  expect([missing, extra, wrongFunction].every((x) => x !== undefined)).toBe(true);
});
