/**
 * Everything a function needs, built once per RuntimeEnv: once per warm container in AWS,
 * once per stage in the local gateway. Tests build their own with other clocks or stores.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTokenVerifier, type TokenVerifier } from '../core/verify-token';
import { CachedClientDirectory } from '../store/client-directory';
import { ClientStore } from '../store/client-store';
import { documentClient } from '../store/dynamo';
import { kmsKeyring, localKeyring, type Keyring } from '../store/keyring';
import { SigningKeyStore } from '../store/signing-key-store';
import { AuthFailureStore } from '../store/auth-failure-store';
import { DeploymentSecretStore } from '../store/deployment-secret-store';
import { EventStore } from '../store/event-store';
import { LaunchTokenStore } from '../store/launch-token-store';
import { SessionStore } from '../store/session-store';
import { deploymentIssuer, type RuntimeEnv } from './env';

export interface Deps {
  env: RuntimeEnv;
  issuer: string;
  clock: () => number;
  doc: DynamoDBDocumentClient;
  keyring: Keyring;
  clients: ClientStore;
  clientDirectory: CachedClientDirectory;
  signingKeys: SigningKeyStore;
  authFailures: AuthFailureStore;
  verifyToken: TokenVerifier;
  sessions: SessionStore;
  launchTokens: LaunchTokenStore;
  deploymentSecrets: DeploymentSecretStore;
  events: EventStore;
}

export interface DepsOverrides {
  clock?: () => number;
  doc?: DynamoDBDocumentClient;
  keyring?: Keyring;
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
  const clientDirectory = new CachedClientDirectory(clients, clock);
  const signingKeys = new SigningKeyStore(doc, env.TABLE_NAME, keyring, clock);
  const verifyToken = createTokenVerifier({ issuer, deploymentKeys: signingKeys, clients: clientDirectory, clock });
  const authFailures = new AuthFailureStore(doc, env.TABLE_NAME, clock);
  const sessions = new SessionStore(doc, env.TABLE_NAME, clock);
  const launchTokens = new LaunchTokenStore(doc, env.TABLE_NAME, clock);
  const deploymentSecrets = new DeploymentSecretStore(doc, env.TABLE_NAME, keyring, clock);
  const events = new EventStore(doc, env.TABLE_NAME, clock);
  return {
    env, issuer, clock, doc, keyring, clients, clientDirectory, signingKeys, authFailures, verifyToken,
    sessions, launchTokens, deploymentSecrets, events,
  };
}

/** One Deps per deployment configuration in this process (handlers of one stage share caches). */
export function depsFor(env: RuntimeEnv): Deps {
  const key = `${env.TENANT}|${env.STAGE}|${env.TABLE_NAME}|${env.DYNAMODB_ENDPOINT ?? ''}`;
  let deps = built.get(key);
  if (!deps) {
    deps = buildDeps(env);
    built.set(key, deps);
  }
  return deps;
}
