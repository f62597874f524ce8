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
  /**
   * The stage's quota configuration from the tenant config, JSON
   * `{"deployment"?: {"limit","period"}, "tiers": {name: {"rateLimit","burstLimit"}}, "stageRateLimit"?}`
   * (StageQuotaConfig in lambdas/core/quota.ts).
   */
  QUOTA_CONFIG?: string;
  /** `apigateway` in AWS: client API keys are registered with API Gateway's tier usage plans; absent: locally, nowhere. */
  API_KEY_BACKEND?: 'apigateway';
  /** The stage's REST API id (the function that registers API keys). */
  REST_API_ID?: string;
  /**
   * The deployment's issuer identifier: the stage's base URL without a trailing slash,
   * `https://{custom domain}` when the stage has one, else
   * `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}` (lib/stage-functions.ts);
   * `http://127.0.0.1:{port}/{stage}` in the local gateway. Fixed per deployment and never
   * taken from a request (a Host header is the caller's to choose).
   */
  ISSUER: string;
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
    ISSUER: parseIssuer(need('ISSUER')),
  };
  if (keyring === 'kms') env.KMS_KEY_ID = need('KMS_KEY_ID');
  else env.LOCAL_KEY_FILE = need('LOCAL_KEY_FILE');
  if (source.DYNAMODB_ENDPOINT) env.DYNAMODB_ENDPOINT = source.DYNAMODB_ENDPOINT;
  if (source.LOCAL_MODE === '1') env.LOCAL_MODE = '1';
  if (source.QUOTA_CONFIG) env.QUOTA_CONFIG = source.QUOTA_CONFIG;
  if (source.API_KEY_BACKEND !== undefined && source.API_KEY_BACKEND !== '') {
    if (source.API_KEY_BACKEND !== 'apigateway') throw new Error('API_KEY_BACKEND must be apigateway when set');
    env.API_KEY_BACKEND = 'apigateway';
  }
  if (source.REST_API_ID) env.REST_API_ID = source.REST_API_ID;
  return env;
}

/**
 * An issuer identifier per RFC 8414 §2: an http(s) URL with no query or fragment; kept
 * without a trailing slash so `{issuer}/oauth2/token` and the token's `iss` agree byte for byte.
 */
export function parseIssuer(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('ISSUER must be an absolute URL');
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== ''
  ) {
    throw new Error('ISSUER must be an http(s) URL without query, fragment or credentials');
  }
  return value.replace(/\/+$/, '');
}

/**
 * The deployment's issuer identifier, the one home of that value: the `iss` of tokens this
 * deployment signs, the `issuer` of its RFC 8414 metadata, and the audience a client token's
 * `aud` must name when its client has no audience of its own (core/claims.ts checkAudience).
 * Never a valid clientName (it has ':').
 */
export function deploymentIssuer(env: Pick<RuntimeEnv, 'ISSUER'>): string {
  return env.ISSUER;
}
