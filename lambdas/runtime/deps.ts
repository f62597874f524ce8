/**
 * Everything a function needs, built once per RuntimeEnv: once per warm container in AWS,
 * once per stage in the local gateway. Tests build their own with other clocks or stores.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { JwksCache, type JwksFetcher } from '../core/jwks-cache';
import { createTokenVerifier, type TokenVerifier } from '../core/verify-token';
import { CachedClientDirectory } from '../store/client-directory';
import { ClientStore } from '../store/client-store';
import { documentClient } from '../store/dynamo';
import { kmsKeyring, localKeyring, type Keyring } from '../store/keyring';
import { SigningKeyStore } from '../store/signing-key-store';
import { TokenLockoutStore } from '../store/token-lockout-store';
import { DeploymentSecretStore } from '../store/deployment-secret-store';
import { EventStore } from '../store/event-store';
import { IdempotencyStore } from '../store/idempotency-store';
import { LaunchTokenStore } from '../store/launch-token-store';
import { WorkoutSessionStore } from '../store/workout-session-store';
import { createJwksFetcher } from '../store/jwks-fetcher';
import { cachedRevocationList } from '../store/revocation-cache';
import { RevocationStore } from '../store/revocation-store';
import { ApiKeyStore } from '../store/api-key-store';
import { UsageCounterStore } from '../store/usage-counter-store';
import { FALLBACK_QUOTA_CONFIG, parseStageQuotaConfig, type StageQuotaConfig } from '../core/quota';
import { AuthLogStore } from '../store/auth-log-store';
import { deploymentIssuer, type RuntimeEnv } from './env';
import { createMetrics, type GatewayMetrics } from './metrics';

export interface Deps {
  env: RuntimeEnv;
  issuer: string;
  clock: () => number;
  doc: DynamoDBDocumentClient;
  keyring: Keyring;
  clients: ClientStore;
  clientDirectory: CachedClientDirectory;
  signingKeys: SigningKeyStore;
  tokenLockout: TokenLockoutStore;
  revocations: RevocationStore;
  /** Fetches a JWKS URL with the contract's limits (registration validates with it). */
  fetchJwks: JwksFetcher;
  /** Keys of clients registered by JWKS URL; lives as long as this Deps (the warm container). */
  jwksCache: JwksCache;
  /** Recent authentication failures per client (AUTHLOG#), written by the authorizer. */
  authLog: AuthLogStore;
  verifyToken: TokenVerifier;
  workoutSessions: WorkoutSessionStore;
  launchTokens: LaunchTokenStore;
  deploymentSecrets: DeploymentSecretStore;
  events: EventStore;
  idempotency: IdempotencyStore;
  apiKeys: ApiKeyStore;
  usageCounters: UsageCounterStore;
  /** The stage's deployment quota and throttle tiers (tenant config; QUOTA_CONFIG). */
  quotaConfig: StageQuotaConfig;
  metrics: GatewayMetrics;
}

export interface DepsOverrides {
  clock?: () => number;
  doc?: DynamoDBDocumentClient;
  keyring?: Keyring;
  fetchJwks?: JwksFetcher;
  metrics?: GatewayMetrics;
}

const built = new Map<string, Deps>();

export function buildDeps(env: RuntimeEnv, overrides: DepsOverrides = {}): Deps {
  const clock = overrides.clock ?? Date.now;
  const doc = overrides.doc ?? documentClient(env.DYNAMODB_ENDPOINT);
  const keyring =
    overrides.keyring ??
    (env.KEYRING === 'kms' ? kmsKeyring(new KMSClient({}), env.KMS_KEY_ID as string) : localKeyring(env.LOCAL_KEY_FILE as string));
  const issuer = deploymentIssuer(env);
  const clients = new ClientStore(doc, env.TABLE_NAME, keyring);
  const apiKeys = new ApiKeyStore(doc, env.TABLE_NAME, keyring);
  // http and loopback JWKS URLs only in the local gateway (contract, PUT .../keys).
  const fetchJwks = overrides.fetchJwks ?? createJwksFetcher({ allowLoopback: env.LOCAL_MODE === '1' });
  const jwksCache = new JwksCache(fetchJwks, clock);
  const clientDirectory = new CachedClientDirectory(clients, clock, jwksCache, apiKeys);
  const signingKeys = new SigningKeyStore(doc, env.TABLE_NAME, keyring, clock);
  const revocations = new RevocationStore(doc, env.TABLE_NAME, clock);
  const verifyToken = createTokenVerifier({
    issuer,
    deploymentKeys: signingKeys,
    clientDirectory,
    revocations: cachedRevocationList(revocations, clock),
    clock,
  });
  const tokenLockout = new TokenLockoutStore(doc, env.TABLE_NAME, clock);
  const authLog = new AuthLogStore(doc, env.TABLE_NAME, clock);
  const workoutSessions = new WorkoutSessionStore(doc, env.TABLE_NAME, clock);
  const launchTokens = new LaunchTokenStore(doc, env.TABLE_NAME, clock);
  const deploymentSecrets = new DeploymentSecretStore(doc, env.TABLE_NAME, keyring, clock);
  const events = new EventStore(doc, env.TABLE_NAME, clock);
  const idempotency = new IdempotencyStore(doc, env.TABLE_NAME, clock);
  const usageCounters = new UsageCounterStore(doc, env.TABLE_NAME);
  const quotaConfig = env.QUOTA_CONFIG ? parseStageQuotaConfig(env.QUOTA_CONFIG) : FALLBACK_QUOTA_CONFIG;
  const metrics = overrides.metrics ?? createMetrics(env);
  return {
    env,
    issuer,
    clock,
    doc,
    keyring,
    clients,
    clientDirectory,
    signingKeys,
    tokenLockout,
    authLog,
    revocations,
    fetchJwks,
    jwksCache,
    verifyToken,
    workoutSessions,
    launchTokens,
    deploymentSecrets,
    events,
    idempotency,
    apiKeys,
    usageCounters,
    quotaConfig,
    metrics,
  };
}

/**
 * One Deps per function and deployment configuration in this process, at module scope: in AWS
 * that is the function's warm container, so its client, signing-key and JWKS caches survive
 * across invocations. Each function has its own, locally too (where all functions share one
 * process): a change one function makes (keys registered, a signing key rotated) reaches
 * another's caches only when they expire, as between Lambda containers.
 */
export function depsFor(env: RuntimeEnv, fn: string): Deps {
  const key = `${fn}|${env.TENANT}|${env.STAGE}|${env.TABLE_NAME}|${env.DYNAMODB_ENDPOINT ?? ''}`;
  let deps = built.get(key);
  if (!deps) {
    deps = buildDeps(env);
    built.set(key, deps);
  }
  return deps;
}
