/**
 * The local gateway: one tenant's two stages, each its own "REST API" with its own table,
 * keys, authorizer cache and handler instances, behind one node:http server.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ROUTES, type RouteSpec } from '../lambdas/gateway/routes';
import { clampCacheTtl, STAGES, type StageName } from '../lambdas/gateway/settings';
import type { RuntimeEnv } from '../lambdas/runtime/env';
import { documentClient } from '../lambdas/store/dynamo';
import { seedDemoCatalogue } from '../lambdas/store/seed-catalogue';
import { AuthorizerCache, type Clock } from './authorizer-cache';
import { startEmbeddedStore } from './embedded-store';
import { type GatewayHooks, type PipelineDeps } from './request-pipeline';
import { ensureKeyringFile, loadOrCreateAdminKey } from './secret-files';
import { createGatewayServer } from './server';
import { createStageRuntime, fakeApiId, type FunctionOverrides, loadFunctionModules } from './stage-runtime';
import { type BundledFunctions, type BundleOptions, bundledFunctions } from './bundles';
import type { StageQuotaConfig } from '../lambdas/core/quota';
import { localQuotaConfig } from './usage-defaults';
import { StageMeter, usagePlanHooks } from './usage-metering';

export interface LocalGatewayOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Where dynalite's files, keyring keys and operator keys live. */
  readonly dataDir: string;
  /** @default 'local' */
  readonly tenant?: string;
  /** DynamoDB Local / AWS endpoint; dynalite under dataDir when absent. */
  readonly dynamoEndpoint?: string;
  /** Table names are `<prefix>-<tenant>-<stage>`. @default 'workoutkit' */
  readonly tablePrefix?: string;
  /** @default 60 (the contract's default; 0 turns the cache off, at most 300) */
  readonly authorizerCacheTtlSeconds?: number;
  /** Operator keys; generated once and kept under dataDir when absent. */
  readonly adminKeys?: Partial<Record<StageName, string>>;
  /** Clock of the authorizer cache. @default Date.now */
  readonly clock?: Clock;
  /** No access log lines. */
  readonly quiet?: boolean;
  /** Diagnostics (handler failures, missing modules). @default console.error */
  readonly log?: (line: string) => void;
  /** Test seam: replace function modules (a path relative to rootDir, or a module object). */
  readonly functions?: FunctionOverrides;
  /** Test seam: another route table. @default ROUTES */
  readonly routes?: readonly RouteSpec[];
  /** Replaces the usage-plan metering hook (test seam). */
  readonly hooks?: GatewayHooks;
  /** Put the demo catalogue's sessions into each stage when absent. @default true */
  readonly seedDemoCatalogue?: boolean;
  /**
   * Throttle jwt routes by the client's tier (local/usage-metering.ts), as the deployed API's
   * tier usage plans do. @default true with the real route table, false with a test `routes` table
   */
  readonly usagePlans?: boolean;
  /** Deployment quota and tiers per stage. @default the tenant's stage entry in tenants.json, else FALLBACK_QUOTA_CONFIG */
  readonly quotaConfig?: Partial<Record<StageName, StageQuotaConfig>>;
  /** Where FUNCTIONS entry paths are resolved. @default the project root */
  readonly rootDir?: string;
  /** How long a request body may take to arrive. @default REQUEST_DEADLINE_MS (local/server.ts) */
  readonly bodyTimeoutMs?: number;
  /**
   * Run the functions from the synthesized bundles in this cdk.out, each in its own Node 22
   * process with its template environment (local/bundles.ts), instead of the sources.
   * `functions` entries still win. @default the TypeScript sources
   */
  readonly bundles?: BundleOptions;
}

export interface LocalGatewayStage {
  readonly baseUrl: string;
  readonly adminKey: string;
  readonly env: RuntimeEnv;
  readonly apiId: string;
  readonly authorizerCache: AuthorizerCache;
}

export interface LocalGateway {
  readonly url: string;
  readonly port: number;
  readonly stages: Readonly<Record<StageName, LocalGatewayStage>>;
  readonly store: { readonly endpoint: string; readonly kind: 'dynalite' | 'external' };
  /** Set when the functions run from synthesized bundles (options.bundles). */
  readonly bundles?: BundledFunctions;
  close(): Promise<void>;
}

const TENANT_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const tenant = options.tenant ?? 'local';
  if (!TENANT_PATTERN.test(tenant)) throw new Error('tenant must be 1-32 of [a-z0-9-]');
  const ttl = clampCacheTtl(options.authorizerCacheTtlSeconds);
  const log = options.log ?? ((line: string) => console.error(line));
  const dataDir = path.resolve(options.dataDir);
  const rootDir = options.rootDir ?? path.resolve(__dirname, '..');

  const bundles = options.bundles ? bundledFunctions(options.bundles, fakeApiId) : undefined;
  const functions = await loadFunctionModules(rootDir, { ...bundles?.overrides, ...options.functions });
  for (const fn of functions.missing) log(`warning: no module for function "${fn}" yet; its routes answer 503`);

  const store = await startEmbeddedStore({
    dataDir,
    tenant,
    stages: STAGES,
    ...(options.dynamoEndpoint ? { endpoint: options.dynamoEndpoint } : {}),
    ...(options.tablePrefix ? { tablePrefix: options.tablePrefix } : {}),
    log,
  });

  let server: ReturnType<typeof createGatewayServer> | undefined;
  try {
    if (options.seedDemoCatalogue ?? true) {
      // Each stage starts with the demo sessions (absent ids only), so the walk-through works at once.
      for (const stage of STAGES) await seedDemoCatalogue(documentClient(store.endpoint), store.tableNames[stage]);
    }
    const deps = new Map<StageName, PipelineDeps>();
    // The server listens before the stages exist: a stage's issuer identifier is its base URL,
    // and with port 0 that is known only now. Nothing is served before this function returns.
    server = createGatewayServer({
      stages: deps,
      log,
      ...(options.bodyTimeoutMs === undefined ? {} : { bodyTimeoutMs: options.bodyTimeoutMs }),
      ...(options.quiet ? {} : { accessLog: (line: string) => console.log(line) }),
    });
    const host = options.host ?? '127.0.0.1';
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(options.port ?? 0, host, () => {
        listening.off('error', reject);
        resolve();
      });
    });
    const port = (listening.address() as AddressInfo).port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const quotaConfig = localQuotaConfig(tenant, options.quotaConfig);
    const meters = new Map<StageName, StageMeter>();
    const metering = options.usagePlans ?? options.routes === undefined;
    const partial: Partial<Record<StageName, Omit<LocalGatewayStage, 'baseUrl'>>> = {};
    for (const stage of STAGES) {
      const stageDir = path.join(dataDir, stage);
      const env: RuntimeEnv = {
        TENANT: tenant,
        STAGE: stage,
        TABLE_NAME: store.tableNames[stage],
        KEYRING: 'local',
        LOCAL_KEY_FILE: ensureKeyringFile(stageDir),
        DYNAMODB_ENDPOINT: store.endpoint,
        AUTHORIZER_CACHE_TTL: String(ttl),
        LOCAL_MODE: '1',
        QUOTA_CONFIG: JSON.stringify(quotaConfig[stage]),
        ISSUER: `${url}/${stage}`,
      };
      meters.set(
        stage,
        new StageMeter(
          { doc: documentClient(store.endpoint), tableName: env.TABLE_NAME, quotaConfig: quotaConfig[stage] },
          options.clock ?? Date.now,
        ),
      );
      const adminKey = options.adminKeys?.[stage] || loadOrCreateAdminKey(stageDir);
      const runtime = createStageRuntime({ stage, env, adminKey, functions });
      const cache = new AuthorizerCache(ttl, options.clock ?? Date.now);
      deps.set(stage, {
        runtime,
        cache,
        routes: options.routes ?? ROUTES,
        hooks: options.hooks ?? (metering ? usagePlanHooks(meters, log) : {}),
        log,
      });
      partial[stage] = { adminKey, env, apiId: runtime.apiId, authorizerCache: cache };
    }

    await bundles?.warm();
    const stages = {} as Record<StageName, LocalGatewayStage>;
    for (const stage of STAGES) stages[stage] = { ...(partial[stage] as Omit<LocalGatewayStage, 'baseUrl'>), baseUrl: `${url}/${stage}` };

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          listening.close(() => resolve());
          // Idle keep-alive sockets would hold close() open; in-flight requests get a moment.
          listening.closeIdleConnections();
          setTimeout(() => listening.closeAllConnections(), 2000).unref();
        });
        bundles?.stop();
        await store.close();
      })());
    return { url, port, stages, store: { endpoint: store.endpoint, kind: store.kind }, ...(bundles ? { bundles } : {}), close };
  } catch (err) {
    if (server?.listening) await new Promise<void>((resolve) => server?.close(() => resolve()));
    bundles?.stop();
    await store.close();
    throw err;
  }
}
