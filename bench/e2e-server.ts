/**
 * Child process of the end-to-end benchmark: the local gateway (embedded dynalite store)
 * with the benchmark's clients seeded through the production store classes, a token of
 * each kind, and an issued token obtained over HTTP from POST /authtoken. Prints one JSON
 * line with what the load generator needs, then serves until SIGTERM. The DynamoDB client every
 * handler and the gateway's metering share is counted (bench/dynamo-calls.ts): a `reset` line on
 * stdin zeroes the count, a `calls` line answers it as one JSON line on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import readline from 'node:readline';
import { depsFor } from '../lambdas/runtime/deps';
import { documentClient } from '../lambdas/store/dynamo';
import { startLocalGateway } from '../local/gateway';
import { storeLabel } from './dynamo';
import { countDynamoCalls } from './dynamo-calls';
import { AUDIENCE, BENCH_QUOTA_CONFIG, clientKey, seedClients, TENANT, STAGE } from './fixtures';

export interface E2eServerInfo {
  baseUrl: string;
  store: string;
  tokens: Record<'HS256 client' | 'ES256 issued' | 'RS256 client (JWKS)' | 'ES256 client (JWKS)', string>;
  authtokenBody: string;
}

async function main(): Promise<void> {
  const ttl = Number(process.argv[2] ?? '60');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wk-bench-gw-'));
  // DYNAMODB_ENDPOINT, from the parent (bench/dynamo.ts): DynamoDB Local in its own process, so
  // the store does not share the gateway's thread; without it, the embedded dynalite.
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  const gateway = await startLocalGateway({
    dataDir,
    tenant: TENANT,
    quiet: true,
    log: () => undefined,
    authorizerCacheTtlSeconds: ttl,
    // A tier far above what a load run sends (the benchmark measures the gateway, not a
    // throttle), and a deployment quota, so every request is counted on both counters.
    quotaConfig: { [STAGE]: BENCH_QUOTA_CONFIG },
    ...(endpoint ? { dynamoEndpoint: endpoint, tablePrefix: `bench${Date.now().toString(36)}` } : {}),
  });
  const calls = countDynamoCalls(documentClient(gateway.store.endpoint));
  const stage = gateway.stages[STAGE];
  const rs = clientKey('RS256', 'rs-1');
  const es = clientKey('ES256', 'es-1');
  const { secret } = await seedClients(depsFor(stage.env, 'bench-seed'), rs, es);
  const authtokenBody = JSON.stringify({
    clientName: 'bench-hs',
    clientSecret: secret.toString('utf8'),
    userInfo: { plan: 'pro' },
    sub: 'user-42',
  });
  const res = await fetch(`${stage.baseUrl}/authtoken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: authtokenBody,
  });
  if (res.status !== 200) throw new Error(`POST /authtoken answered ${res.status}: ${await res.text()}`);
  const issued = ((await res.json()) as { token: string }).token;
  const nowS = Math.floor(Date.now() / 1000);
  const claims = (iss: string) => ({ iss, sub: 'user-42', aud: AUDIENCE, scope: 'workouts:read', iat: nowS, exp: nowS + 3600 });
  const info: E2eServerInfo = {
    baseUrl: stage.baseUrl,
    store: gateway.store.kind === 'dynalite' ? `dynalite ${gateway.store.endpoint} (in the gateway process)` : storeLabel(),
    tokens: {
      'HS256 client': await new SignJWT(claims('bench-hs')).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret),
      'ES256 issued': issued,
      'RS256 client (JWKS)': await new SignJWT(claims('bench-rs')).setProtectedHeader({ alg: 'RS256', kid: rs.kid }).sign(rs.privateKey),
      'ES256 client (JWKS)': await new SignJWT(claims('bench-es')).setProtectedHeader({ alg: 'ES256', kid: es.kid }).sign(es.privateKey),
    },
    authtokenBody,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'reset') calls.reset();
    else if (line === 'calls') process.stdout.write(`${JSON.stringify(calls.snapshot())}\n`);
  });
  const stop = () => {
    void gateway.close().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
