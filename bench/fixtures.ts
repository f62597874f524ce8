/**
 * The benchmark's world: one deployment key, three clients (HS256 secret, RS256 JWKS,
 * ES256 JWKS) and one token of each kind, either in memory or seeded into a real table
 * on the embedded store (dynalite), read through the production store classes.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { StageQuotaConfig } from '../lambdas/core/quota';
import type { QuotaSettings } from '../lambdas/core/client-settings';
import { issueAccessToken } from '../lambdas/core/issue-token';
import { generateSigningKey, publicJwkOf, verificationKeyOf, type SigningKey } from '../lambdas/core/signing-key';
import { importJwks, type VerificationKey } from '../lambdas/core/verification-key';
import type { ClientAuthView, ClientDirectory, DeploymentKeySet } from '../lambdas/core/verify-token';
import { buildDeps, type Deps } from '../lambdas/runtime/deps';
import { deploymentIssuer, type RuntimeEnv } from '../lambdas/runtime/env';
import { newApiKey } from '../lambdas/store/api-key-store';
import { startEmbeddedStore, type EmbeddedStore } from '../local/embedded-store';

export type Row = 'HS256 client' | 'ES256 issued' | 'RS256 client (JWKS)' | 'ES256 client (JWKS)';
export const ROWS: readonly Row[] = ['HS256 client', 'ES256 issued', 'RS256 client (JWKS)', 'ES256 client (JWKS)'];

export const TENANT = 'bench';
export const STAGE = 'sandbox';
export const ISSUER = deploymentIssuer({ ISSUER: `http://127.0.0.1:3000/${STAGE}` });
export const AUDIENCE = 'workoutkit-api';
export const HS_CLIENT = 'bench-hs';
const RS_CLIENT = 'bench-rs';
const ES_CLIENT = 'bench-es';

export interface ClientKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwks: { keys: Record<string, unknown>[] };
}

/** What each peer implementation needs to verify one row's token. */
export interface RowCase {
  row: Row;
  token: string;
  alg: 'HS256' | 'RS256' | 'ES256';
  issuer: string;
  audience?: string;
  /** HS256: the secret's UTF-8 bytes; else the public key. */
  key: KeyObject | Buffer;
  /** RS/ES: the JWKS the key is published in. */
  jwks?: { keys: Record<string, unknown>[] };
}

export function clientKey(alg: 'RS256' | 'ES256', kid: string): ClientKey {
  const pair = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  return { kid, alg, privateKey: pair.privateKey, publicKey: pair.publicKey, jwks: { keys: [jwk] } };
}

/** A client token as an integrator signs it: iss = clientName, aud, sub, scope, 1 h lifetime. */
function clientClaims(clientName: string, nowS: number): Record<string, unknown> {
  return { iss: clientName, sub: 'user-42', aud: AUDIENCE, scope: 'workouts:read plans:read', iat: nowS, exp: nowS + 3600 };
}

async function signClient(key: ClientKey | Buffer, clientName: string, nowS: number): Promise<string> {
  const jwt = new SignJWT(clientClaims(clientName, nowS));
  if (Buffer.isBuffer(key)) return jwt.setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
  return jwt.setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
}

export interface World {
  cases: Record<Row, RowCase>;
  deploymentKey: SigningKey;
  secret: Buffer;
  rs: ClientKey;
  es: ClientKey;
}

async function buildCases(deploymentKey: SigningKey, secret: Buffer, rs: ClientKey, es: ClientKey): Promise<Record<Row, RowCase>> {
  const nowMs = Date.now();
  const nowS = Math.floor(nowMs / 1000);
  // No scopes: issued tokens carry scope as an array, which aws-jwt-verify refuses (it expects
  // Cognito's space-separated string); without it every peer can verify the same token.
  const issued = await issueAccessToken({ clientName: HS_CLIENT, userInfo: { plan: 'pro' }, sub: 'user-42' }, deploymentKey, ISSUER, nowMs);
  const deploymentJwks = { keys: [publicJwkOf(deploymentKey) as unknown as Record<string, unknown>] };
  return {
    'HS256 client': {
      row: 'HS256 client',
      token: await signClient(secret, HS_CLIENT, nowS),
      alg: 'HS256',
      issuer: HS_CLIENT,
      audience: AUDIENCE,
      key: secret,
    },
    'ES256 issued': {
      row: 'ES256 issued',
      token: issued.token,
      alg: 'ES256',
      issuer: ISSUER,
      key: deploymentKey.publicKey,
      jwks: deploymentJwks,
    },
    'RS256 client (JWKS)': {
      row: 'RS256 client (JWKS)',
      token: await signClient(rs, RS_CLIENT, nowS),
      alg: 'RS256',
      issuer: RS_CLIENT,
      audience: AUDIENCE,
      key: rs.publicKey,
      jwks: rs.jwks,
    },
    'ES256 client (JWKS)': {
      row: 'ES256 client (JWKS)',
      token: await signClient(es, ES_CLIENT, nowS),
      alg: 'ES256',
      issuer: ES_CLIENT,
      audience: AUDIENCE,
      key: es.publicKey,
      jwks: es.jwks,
    },
  };
}

export async function memoryWorld(): Promise<World> {
  const deploymentKey = generateSigningKey().key;
  const secret = Buffer.from(randomBytes(32).toString('base64url'), 'utf8');
  const rs = clientKey('RS256', 'rs-1');
  const es = clientKey('ES256', 'es-1');
  return { cases: await buildCases(deploymentKey, secret, rs, es), deploymentKey, secret, rs, es };
}

/** The verifier's interfaces over plain maps with keys imported once: the core's own cost. */
export function memoryVerifierDeps(world: World): { clientDirectory: ClientDirectory; deploymentKeys: DeploymentKeySet } {
  const policy = { requiredClaims: [], audience: AUDIENCE };
  const views = new Map<string, { view: ClientAuthView; keys: VerificationKey[] }>([
    [HS_CLIENT, { view: { clientName: HS_CLIENT, scopes: [], policy, hmacSecrets: [world.secret] }, keys: [] }],
    [RS_CLIENT, { view: { clientName: RS_CLIENT, scopes: [], policy, hmacSecrets: [] }, keys: importJwks(world.rs.jwks, 'jwks') }],
    [ES_CLIENT, { view: { clientName: ES_CLIENT, scopes: [], policy, hmacSecrets: [] }, keys: importJwks(world.es.jwks, 'jwks') }],
  ]);
  const deployment = verificationKeyOf(world.deploymentKey);
  return {
    clientDirectory: {
      get: async (name) => views.get(name)?.view,
      keysFor: async (client, kid) => {
        const keys = views.get(client.clientName)?.keys ?? [];
        return kid === undefined ? keys : keys.filter((k) => k.kid === kid);
      },
    },
    deploymentKeys: { get: async (kid) => (kid === deployment.kid ? deployment : undefined) },
  };
}

export interface StoreWorld extends World {
  store: EmbeddedStore;
  env: RuntimeEnv;
  deps: Deps;
  close(): Promise<void>;
}

/** Seeds a fresh dynalite table through the production store classes (as the operator API would). */
/**
 * Far above what a load run sends: the local gateway meters every allowed request (usage
 * plans), and the benchmark measures the gateway, not a throttle.
 */
const BENCH_QUOTA: QuotaSettings = { limit: 1e12, period: 'MONTH' };

/** The bench stage: one tier far above the load, a deployment quota far above it too. */
export const BENCH_QUOTA_CONFIG: StageQuotaConfig = {
  deployment: { limit: 1e12, period: 'MONTH' },
  // A burst larger than any run: the local token bucket never refuses; 500/s sizes one shard.
  tiers: { default: { rateLimit: 500, burstLimit: 1e7 } },
  stageRateLimit: 500,
};

/**
 * Seeds the three clients as the admin API's createClient does (profile, keys, a sealed API
 * key with its lookup item), minus the AWS usage backend: the authorizer's Allow carries the
 * key as usageIdentifierKey, and the local gateway refuses a request without one.
 */
export async function seedClients(deps: Deps, rs: ClientKey, es: ClientKey): Promise<{ secret: Buffer; deploymentKey: SigningKey }> {
  const now = new Date(deps.clock());
  const settings = (clientName: string) => ({ clientName, requiredClaims: [], audience: AUDIENCE, quota: BENCH_QUOTA });
  const withApiKey = async (clientName: string) => deps.apiKeys.attach(clientName, await deps.apiKeys.seal(clientName, newApiKey(), now));
  const { clientSecret } = await deps.clients.create(settings(HS_CLIENT), now);
  await withApiKey(HS_CLIENT);
  for (const [name, key] of [
    [RS_CLIENT, rs],
    [ES_CLIENT, es],
  ] as const) {
    await deps.clients.create(settings(name), now);
    await withApiKey(name);
    const current = await deps.clients.get(name, true); // attach bumped the version
    if (!current) throw new Error(`seeding ${name} failed`);
    const ok = await deps.clients.replace(
      { ...current, keys: { kind: 'jwks', jwks: key.jwks, updatedAt: now.toISOString() } },
      current.version,
    );
    if (!ok) throw new Error('seeding keys failed');
  }
  return { secret: Buffer.from(clientSecret, 'utf8'), deploymentKey: await deps.signingKeys.current() };
}

export async function storeWorld(): Promise<StoreWorld> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wk-bench-'));
  const endpoint = process.env.DYNAMODB_ENDPOINT; // set by bench/dynamo.ts
  if (!endpoint) throw new Error('storeWorld needs DYNAMODB_ENDPOINT (startBenchDynamo)');
  const store = await startEmbeddedStore({
    dataDir,
    tenant: TENANT,
    stages: [STAGE],
    endpoint,
    tablePrefix: `b${randomBytes(3).toString('hex')}`,
  });
  const keyFile = path.join(dataDir, 'keyring.key');
  writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
  const env: RuntimeEnv = {
    TENANT,
    STAGE,
    TABLE_NAME: store.tableNames[STAGE],
    KEYRING: 'local',
    LOCAL_KEY_FILE: keyFile,
    DYNAMODB_ENDPOINT: store.endpoint,
    AUTHORIZER_CACHE_TTL: '60',
    LOCAL_MODE: '1',
    ISSUER,
  };
  const deps = buildDeps(env);
  const rs = clientKey('RS256', 'rs-1');
  const es = clientKey('ES256', 'es-1');
  const { secret, deploymentKey } = await seedClients(deps, rs, es);
  const close = async () => {
    deps.doc.destroy();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { cases: await buildCases(deploymentKey, secret, rs, es), deploymentKey, secret, rs, es, store, env, deps, close };
}
