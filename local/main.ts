/**
 * `npm start`: the local gateway for one tenant's sandbox and prod stages.
 *   PORT (3000), WK_TENANT (local), WK_DATA_DIR (<project>/.data), DYNAMODB_ENDPOINT,
 *   WK_ADMIN_KEY_SANDBOX / WK_ADMIN_KEY_PROD, WK_AUTHORIZER_CACHE_TTL (60), WK_QUIET=1,
 *   WK_BUNDLES=cdk.out (run the synthesized bundles on Node 22 instead of the sources, local/bundles.ts).
 */
import path from 'node:path';
import { STAGES, type StageName } from '../lambdas/gateway/settings';
import { startLocalGateway } from './gateway';

async function main(): Promise<void> {
  const env = process.env;
  const port = env.PORT ? Number(env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('PORT must be a port number');
  const adminKeys: Partial<Record<StageName, string>> = {};
  for (const stage of STAGES) {
    const key = env[`WK_ADMIN_KEY_${stage.toUpperCase()}`];
    if (key) adminKeys[stage] = key;
  }
  const gateway = await startLocalGateway({
    port,
    dataDir: env.WK_DATA_DIR ?? path.resolve(__dirname, '..', '.data'),
    tenant: env.WK_TENANT ?? 'local',
    ...(env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: env.DYNAMODB_ENDPOINT } : {}),
    ...(env.WK_AUTHORIZER_CACHE_TTL ? { authorizerCacheTtlSeconds: Number(env.WK_AUTHORIZER_CACHE_TTL) } : {}),
    adminKeys,
    quiet: env.WK_QUIET === '1',
    ...(env.WK_BUNDLES ? { bundles: { cdkOut: path.resolve(env.WK_BUNDLES), log: (line: string) => console.log(line) } } : {}),
  });

  const lines = [
    `WorkoutKit local gateway, tenant "${gateway.stages.sandbox.env.TENANT}"`,
    `store: ${gateway.store.kind} ${gateway.store.endpoint}`,
  ];
  if (env.WK_BUNDLES) lines.push(`functions: the bundles in ${path.resolve(env.WK_BUNDLES)} (Node 22, one process per function)`);
  for (const stage of STAGES) {
    const s = gateway.stages[stage];
    // A key given in the environment is not echoed into logs; a generated one must be shown once.
    const key = adminKeys[stage] ? `from WK_ADMIN_KEY_${stage.toUpperCase()}` : s.adminKey;
    lines.push(`${stage.padEnd(8)} ${s.baseUrl}`, `${''.padEnd(8)} operator key (X-WorkoutKit-Admin-Key): ${key}`);
  }
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    gateway.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
