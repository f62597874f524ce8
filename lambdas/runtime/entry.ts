/**
 * The `handler` export of every function module: its dependencies built once per container
 * from the Lambda environment. In Lambda they are built while the module loads, in the init
 * phase before the first request; elsewhere (tests, the local gateway, which call
 * `createHandler(env)` themselves) only if `handler` is ever called.
 */
import { readRuntimeEnv, type RuntimeEnv } from './env';

export function lambdaEntry<A extends unknown[], R>(create: (env: RuntimeEnv) => (...args: A) => R): (...args: A) => R {
  let built = process.env.AWS_LAMBDA_FUNCTION_NAME ? create(readRuntimeEnv()) : undefined;
  return (...args) => (built ??= create(readRuntimeEnv()))(...args);
}
