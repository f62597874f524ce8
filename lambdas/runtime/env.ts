/**
 * The environment every function reads: the CDK stack sets these variables on
 * each Lambda, and the local gateway passes the same record to `createHandler`,
 * so a local stage runs exactly the deployed configuration shape.
 */
import { clampCacheTtl, STAGES, type StageName } from '../gateway/settings';

export interface RuntimeEnv {
  /** Tenant id (lower-case, [a-z0-9-]). */
  TENANT: string;
  STAGE: StageName;
  TABLE_NAME: string;
  /** `kms` in AWS (with KMS_KEY_ID), `local` for the local gateway (with LOCAL_KEY_FILE). */
  KEYRING: 'kms' | 'local';
  KMS_KEY_ID?: string;
  LOCAL_KEY_FILE?: string;
  /** Overrides the DynamoDB endpoint (embedded store, DynamoDB Local). */
  DYNAMODB_ENDPOINT?: string;
  /** Authorizer result cache TTL the stage was deployed with (seconds). */
  AUTHORIZER_CACHE_TTL: string;
  /** `1` only in the local gateway: allows http JWKS URLs on loopback. */
  LOCAL_MODE?: string;
}

export type EnvSource = Readonly<Record<string, string | undefined>>;

export function readRuntimeEnv(source: EnvSource = process.env): RuntimeEnv {
  const need = (name: string): string => {
    const v = source[name];
    if (v === undefined || v === '') throw new Error(`missing environment variable ${name}`);
    return v;
  };
  const stage = need('STAGE');
  if (!(STAGES as readonly string[]).includes(stage)) throw new Error(`STAGE must be one of ${STAGES.join(', ')}`);
  const keyring = need('KEYRING');
  if (keyring !== 'kms' && keyring !== 'local') throw new Error('KEYRING must be kms or local');
  const env: RuntimeEnv = {
    TENANT: need('TENANT'),
    STAGE: stage as StageName,
    TABLE_NAME: need('TABLE_NAME'),
    KEYRING: keyring,
    AUTHORIZER_CACHE_TTL: String(clampCacheTtl(source.AUTHORIZER_CACHE_TTL ? Number(source.AUTHORIZER_CACHE_TTL) : undefined)),
  };
  if (keyring === 'kms') env.KMS_KEY_ID = need('KMS_KEY_ID');
  else env.LOCAL_KEY_FILE = need('LOCAL_KEY_FILE');
  if (source.DYNAMODB_ENDPOINT) env.DYNAMODB_ENDPOINT = source.DYNAMODB_ENDPOINT;
  if (source.LOCAL_MODE === '1') env.LOCAL_MODE = '1';
  return env;
}

/** The `iss` of tokens this deployment signs; never a valid clientName (it has ':'). */
export function deploymentIssuer(env: Pick<RuntimeEnv, 'TENANT' | 'STAGE'>): string {
  return `workoutkit:${env.TENANT}:${env.STAGE}`;
}
