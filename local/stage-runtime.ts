/**
 * What one local stage runs: the RuntimeEnv the CDK stack would set on each Lambda, and
 * one handler instance per function, built by the function module's `createHandler(env)`.
 * Modules are imported by their FUNCTIONS entry path (never by a static import), so local/
 * stays independent of handler code, like lib/.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FUNCTIONS, type FunctionName } from '../lambdas/gateway/routes';
import type { StageName } from '../lambdas/gateway/settings';
import type { RuntimeEnv } from '../lambdas/runtime/env';
import type { AuthorizerHandler, FunctionModule, IntegrationHandler } from '../lambdas/runtime/handler-types';

export type IntegrationFunctionName = Exclude<FunctionName, 'authorizer'>;

/** A module path (relative to the project root, or absolute) or an already loaded module. */
export type ModuleRef<H> = string | FunctionModule<H>;

export interface FunctionOverrides {
  readonly authorizer?: ModuleRef<AuthorizerHandler>;
  readonly authtoken?: ModuleRef<IntegrationHandler>;
  readonly api?: ModuleRef<IntegrationHandler>;
  readonly session?: ModuleRef<IntegrationHandler>;
  readonly admin?: ModuleRef<IntegrationHandler>;
  readonly public?: ModuleRef<IntegrationHandler>;
}

export interface LoadedFunctions {
  readonly authorizer?: FunctionModule<AuthorizerHandler>;
  readonly integrations: Partial<Record<IntegrationFunctionName, FunctionModule<IntegrationHandler>>>;
  /** Functions whose entry file does not exist (yet): their routes answer 503. */
  readonly missing: readonly FunctionName[];
}

export interface StageRuntime {
  readonly stage: StageName;
  readonly env: RuntimeEnv;
  /** A stable fake REST API id (each stage is its own REST API in AWS). */
  readonly apiId: string;
  readonly adminKey: string;
  readonly authorizer?: AuthorizerHandler;
  readonly integrations: Partial<Record<IntegrationFunctionName, IntegrationHandler>>;
}

const INTEGRATION_FUNCTIONS = (Object.keys(FUNCTIONS) as FunctionName[]).filter((f): f is IntegrationFunctionName => f !== 'authorizer');

/** Imports each function module once; stages then call createHandler on them. */
export async function loadFunctionModules(rootDir: string, overrides: FunctionOverrides = {}): Promise<LoadedFunctions> {
  const missing: FunctionName[] = [];
  const load = async <H>(fn: FunctionName, ref: ModuleRef<H> | undefined): Promise<FunctionModule<H> | undefined> => {
    const target = ref ?? FUNCTIONS[fn].entry;
    if (typeof target !== 'string') return target;
    const file = path.resolve(rootDir, target);
    if (!existsSync(file)) {
      missing.push(fn);
      return undefined;
    }
    return importFunctionModule<H>(file);
  };
  const authorizer = await load<AuthorizerHandler>('authorizer', overrides.authorizer);
  const integrations: Partial<Record<IntegrationFunctionName, FunctionModule<IntegrationHandler>>> = {};
  for (const fn of INTEGRATION_FUNCTIONS) {
    const mod = await load<IntegrationHandler>(fn, overrides[fn]);
    if (mod) integrations[fn] = mod;
  }
  return authorizer ? { authorizer, integrations, missing } : { integrations, missing };
}

async function importFunctionModule<H>(file: string): Promise<FunctionModule<H>> {
  // Under tsx a CommonJS module may arrive as `default`; under jest (CJS) it is the namespace.
  const ns = (await import(file)) as Partial<FunctionModule<H>> & { default?: Partial<FunctionModule<H>> };
  const create = ns.createHandler ?? ns.default?.createHandler;
  if (typeof create !== 'function') throw new Error(`${file} does not export createHandler(env)`);
  return { createHandler: create };
}

export interface StageRuntimeInput {
  readonly stage: StageName;
  readonly env: RuntimeEnv;
  readonly adminKey: string;
  readonly functions: LoadedFunctions;
}

export function createStageRuntime(input: StageRuntimeInput): StageRuntime {
  const integrations: Partial<Record<IntegrationFunctionName, IntegrationHandler>> = {};
  for (const [fn, mod] of Object.entries(input.functions.integrations) as [IntegrationFunctionName, FunctionModule<IntegrationHandler>][]) {
    integrations[fn] = mod.createHandler(input.env);
  }
  const base = {
    stage: input.stage,
    env: input.env,
    apiId: fakeApiId(input.env.TENANT, input.stage),
    adminKey: input.adminKey,
    integrations,
  };
  const authorizer = input.functions.authorizer?.createHandler(input.env);
  return authorizer ? { ...base, authorizer } : base;
}

/** API Gateway ids are 10 lower-case alphanumerics; derive one so ARNs are stable. */
export function fakeApiId(tenant: string, stage: StageName): string {
  const digest = createHash('sha256').update(`${tenant}/${stage}`).digest();
  let id = '';
  for (let i = 0; i < 10; i++) id += ((digest[i] as number) % 36).toString(36);
  return id;
}
