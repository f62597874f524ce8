/**
 * The checked-in tenant list (tenants.json): adding a tenant is a change here plus
 * `cdk deploy`. Validation is strict (unknown keys are errors) because a typo in a quota
 * or a TTL would otherwise deploy silently with a default.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_TIER, TIER_NAME_PATTERN, type StageQuotaConfig } from '../lambdas/core/quota';
import { clampCacheTtl, STAGES, type StageName } from '../lambdas/gateway/settings';

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

/** The tenant's contract quota for a stage: requests per period, shared by all the stage's clients. */
export interface StageQuota {
  readonly limit: number;
  readonly period: QuotaPeriod;
}

export interface Throttle {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Token-bucket size: requests allowed at once after a quiet spell. */
  readonly burstLimit: number;
}

/**
 * A stage's own domain: API Gateway serves the stage at `https://{name}` (a regional custom
 * domain, TLS 1.2 minimum) and that URL becomes the stage's base URL and issuer identifier.
 */
export interface StageDomain {
  /** Lower-case DNS name, e.g. `api.acme.example`. */
  readonly name: string;
  /** An ACM certificate for `name`, in the stage's region (regional endpoints need that). */
  readonly certificateArn: string;
  /** When given, the stack adds the alias record for `name` in this public hosted zone. */
  readonly hostedZone?: { readonly id: string; readonly name: string };
}

export interface TenantStageConfig {
  /** The deployment quota; absent: the stage has none (clients may still have their own). */
  readonly quota?: StageQuota;
  /** The stage-wide method throttle (all clients together); absent: the account's regional limit. */
  readonly throttle?: Throttle;
  /** Throttle tiers by name, `default` always among them: one usage plan each in the stage's template. */
  readonly tiers: Readonly<Record<string, Throttle>>;
  /** @default - the execute-api URL only */
  readonly domain?: StageDomain;
}

export interface TenantConfig {
  /** Lower-case id, `[a-z0-9-]`, starting with a letter (it prefixes CloudFormation stack names). */
  readonly name: string;
  readonly contact: string;
  readonly alarmEmails: readonly string[];
  /** Authorizer result cache TTL, already clamped by `clampCacheTtl` (default 60 s, at most 300 s). */
  readonly authorizerCacheTtlSeconds: number;
  readonly stages: Readonly<Record<StageName, TenantStageConfig>>;
  /** The AWS account of the tenant's stacks. @default the CLI's (CDK_DEFAULT_ACCOUNT) */
  readonly account?: string;
  /** The AWS region of the tenant's stacks. @default the CLI's (CDK_DEFAULT_REGION) */
  readonly region?: string;
}

export class TenantConfigError extends Error {
  override readonly name = 'TenantConfigError';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid tenant config ${source}:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Stack names must start with a letter and hold only [A-Za-z0-9-], so the tenant id does too. */
const TENANT_NAME = /^[a-z][a-z0-9-]{1,31}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PERIODS: readonly string[] = ['DAY', 'WEEK', 'MONTH'];
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** Lower-case DNS name of at least two labels. */
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):certificate\/[A-Za-z0-9-]{1,128}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

/** Collects every problem (with a JSON-path-like location) instead of stopping at the first. */
class Checker {
  readonly problems: string[] = [];
  fail(at: string, msg: string): void {
    this.problems.push(`${at}: ${msg}`);
  }
  keys(at: string, o: Obj, allowed: readonly string[]): void {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) this.fail(`${at}.${k}`, 'unknown key');
  }
  email(at: string, v: unknown): string {
    if (typeof v !== 'string' || !EMAIL.test(v)) this.fail(at, 'must be an e-mail address');
    return String(v);
  }
}

function parseQuota(c: Checker, at: string, v: unknown): StageQuota {
  if (!isObj(v)) {
    c.fail(at, 'must be an object {limit, period}');
    return { limit: 0, period: 'DAY' };
  }
  for (const k of ['rateLimit', 'burstLimit']) {
    if (k in v) c.fail(`${at}.${k}`, 'throttling is no part of a quota any more: put it in the stage\'s "throttle" or "tiers"');
  }
  c.keys(at, v, ['limit', 'period', 'rateLimit', 'burstLimit']);
  if (!isPositiveInt(v.limit)) c.fail(`${at}.limit`, 'must be a positive integer');
  if (typeof v.period !== 'string' || !PERIODS.includes(v.period)) c.fail(`${at}.period`, `must be one of ${PERIODS.join(', ')}`);
  return { limit: v.limit as number, period: v.period as QuotaPeriod };
}

function parseThrottle(c: Checker, at: string, v: unknown): Throttle {
  if (!isObj(v)) {
    c.fail(at, 'must be an object {rateLimit, burstLimit}');
    return { rateLimit: 0, burstLimit: 0 };
  }
  c.keys(at, v, ['rateLimit', 'burstLimit']);
  if (typeof v.rateLimit !== 'number' || !(v.rateLimit > 0)) c.fail(`${at}.rateLimit`, 'must be a positive number');
  if (!isPositiveInt(v.burstLimit)) c.fail(`${at}.burstLimit`, 'must be a positive integer');
  return { rateLimit: v.rateLimit as number, burstLimit: v.burstLimit as number };
}

function parseTiers(c: Checker, at: string, v: unknown, stageThrottle: Throttle | undefined): Record<string, Throttle> {
  const out: Record<string, Throttle> = {};
  if (!isObj(v)) {
    c.fail(at, 'must be an object of tiers by name, "default" among them');
    return out;
  }
  if (!(DEFAULT_TIER in v)) c.fail(`${at}.${DEFAULT_TIER}`, 'is required (clients without a tier get it)');
  for (const [name, t] of Object.entries(v)) {
    if (!TIER_NAME_PATTERN.test(name)) c.fail(`${at}.${name}`, 'tier names are 1-32 of [a-z0-9-]');
    const tier = parseThrottle(c, `${at}.${name}`, t);
    if (stageThrottle && tier.rateLimit > stageThrottle.rateLimit) {
      c.fail(`${at}.${name}.rateLimit`, `is above the stage throttle's ${stageThrottle.rateLimit} requests per second`);
    }
    out[name] = tier;
  }
  return out;
}

function parseDomain(c: Checker, at: string, v: unknown): StageDomain | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) {
    c.fail(at, 'must be an object {name, certificateArn, hostedZone?}');
    return undefined;
  }
  c.keys(at, v, ['name', 'certificateArn', 'hostedZone']);
  const name = String(v.name);
  if (typeof v.name !== 'string' || !DNS_NAME.test(v.name)) c.fail(`${at}.name`, 'must be a lower-case DNS name');
  if (typeof v.certificateArn !== 'string' || !CERTIFICATE_ARN.test(v.certificateArn))
    c.fail(`${at}.certificateArn`, 'must be an ACM certificate ARN');
  const domain: { name: string; certificateArn: string; hostedZone?: { id: string; name: string } } = {
    name,
    certificateArn: String(v.certificateArn),
  };
  const zone = v.hostedZone;
  if (zone !== undefined) {
    if (!isObj(zone)) c.fail(`${at}.hostedZone`, 'must be an object {id, name}');
    else {
      c.keys(`${at}.hostedZone`, zone, ['id', 'name']);
      if (typeof zone.id !== 'string' || !HOSTED_ZONE_ID.test(zone.id))
        c.fail(`${at}.hostedZone.id`, 'must be a Route 53 hosted zone id (Z...)');
      const zoneName = String(zone.name).replace(/\.$/, '');
      if (typeof zone.name !== 'string' || !DNS_NAME.test(zoneName)) c.fail(`${at}.hostedZone.name`, 'must be a lower-case DNS name');
      else if (name !== zoneName && !name.endsWith(`.${zoneName}`)) c.fail(`${at}.hostedZone.name`, `must be ${name} or a parent of it`);
      domain.hostedZone = { id: String(zone.id), name: zoneName };
    }
  }
  return domain;
}

function parseStages(c: Checker, at: string, v: unknown): Record<StageName, TenantStageConfig> {
  const out = {} as Record<StageName, TenantStageConfig>;
  if (!isObj(v)) {
    c.fail(at, `must be an object with ${STAGES.join(' and ')}`);
    return out;
  }
  c.keys(at, v, STAGES);
  for (const stage of STAGES) {
    const s = v[stage];
    if (!isObj(s)) {
      c.fail(`${at}.${stage}`, 'is required (every tenant gets both stages)');
      continue;
    }
    c.keys(`${at}.${stage}`, s, ['quota', 'throttle', 'tiers', 'domain']);
    const domain = parseDomain(c, `${at}.${stage}.domain`, s.domain);
    const throttle = s.throttle === undefined ? undefined : parseThrottle(c, `${at}.${stage}.throttle`, s.throttle);
    out[stage] = {
      ...(s.quota === undefined ? {} : { quota: parseQuota(c, `${at}.${stage}.quota`, s.quota) }),
      ...(throttle ? { throttle } : {}),
      tiers: parseTiers(c, `${at}.${stage}.tiers`, s.tiers, throttle),
      ...(domain && { domain }),
    };
  }
  return out;
}

function parseTenant(c: Checker, at: string, v: unknown): TenantConfig | undefined {
  if (!isObj(v)) {
    c.fail(at, 'must be an object');
    return undefined;
  }
  c.keys(at, v, ['name', 'contact', 'alarmEmails', 'authorizerCacheTtlSeconds', 'stages', 'account', 'region']);
  if (typeof v.name !== 'string' || !TENANT_NAME.test(v.name)) {
    c.fail(`${at}.name`, 'must be 2-32 of [a-z0-9-], starting with a letter');
  }
  const contact = c.email(`${at}.contact`, v.contact);
  const alarmEmails: string[] = [];
  if (!Array.isArray(v.alarmEmails)) c.fail(`${at}.alarmEmails`, 'must be an array of e-mail addresses');
  else v.alarmEmails.forEach((e, i) => alarmEmails.push(c.email(`${at}.alarmEmails[${i}]`, e)));
  let ttl = 0;
  const rawTtl = v.authorizerCacheTtlSeconds;
  if (rawTtl !== undefined && typeof rawTtl !== 'number') c.fail(`${at}.authorizerCacheTtlSeconds`, 'must be a number');
  else {
    try {
      ttl = clampCacheTtl(rawTtl);
    } catch (err) {
      c.fail(`${at}.authorizerCacheTtlSeconds`, (err as Error).message);
    }
  }
  const stages = parseStages(c, `${at}.stages`, v.stages);
  const placement = parsePlacement(c, at, v, stages);
  return { name: String(v.name), contact, alarmEmails, authorizerCacheTtlSeconds: ttl, stages, ...placement };
}

/**
 * Where the tenant's stacks go. A custom domain's certificate must be in the stage's own
 * account and region: API Gateway regional domains take an ACM certificate of their region
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html).
 */
function parsePlacement(
  c: Checker,
  at: string,
  v: Obj,
  stages: Record<StageName, TenantStageConfig>,
): { account?: string; region?: string } {
  const out: { account?: string; region?: string } = {};
  if (v.account !== undefined) {
    if (typeof v.account !== 'string' || !ACCOUNT.test(v.account)) c.fail(`${at}.account`, 'must be a 12-digit AWS account id (a string)');
    else out.account = v.account;
  }
  if (v.region !== undefined) {
    if (typeof v.region !== 'string' || !REGION.test(v.region)) c.fail(`${at}.region`, 'must be an AWS region name, e.g. eu-west-1');
    else out.region = v.region;
  }
  for (const stage of STAGES) {
    const arn = CERTIFICATE_ARN.exec(stages[stage]?.domain?.certificateArn ?? '');
    if (!arn) continue;
    if (out.region !== undefined && arn[1] !== out.region)
      c.fail(`${at}.stages.${stage}.domain.certificateArn`, `must be in the tenant's region ${out.region}`);
    if (out.account !== undefined && arn[2] !== out.account)
      c.fail(`${at}.stages.${stage}.domain.certificateArn`, `must be in the tenant's account ${out.account}`);
  }
  return out;
}

/** Validates already-parsed JSON; throws one TenantConfigError listing every problem. */
export function parseTenants(raw: unknown, source = 'tenants.json'): TenantConfig[] {
  const c = new Checker();
  if (!Array.isArray(raw) || raw.length === 0) throw new TenantConfigError(source, ['must be a non-empty array of tenants']);
  const tenants = raw.map((t, i) => parseTenant(c, `[${i}]`, t));
  const seen = new Set<string>();
  tenants.forEach((t, i) => {
    if (t === undefined) return;
    if (seen.has(t.name)) c.fail(`[${i}].name`, `duplicate tenant "${t.name}"`);
    seen.add(t.name);
  });
  const domains = new Set<string>();
  tenants.forEach((t, i) => {
    for (const stage of STAGES) {
      const name = t?.stages[stage]?.domain?.name;
      if (name === undefined) continue;
      if (domains.has(name)) c.fail(`[${i}].stages.${stage}.domain.name`, `domain ${name} is used twice`);
      domains.add(name);
    }
  });
  if (c.problems.length > 0) throw new TenantConfigError(source, c.problems);
  return tenants as TenantConfig[];
}

/** The checked-in file at the repository root. */
export const DEFAULT_TENANTS_FILE = path.resolve(__dirname, '..', 'tenants.json');

export function loadTenants(file: string = DEFAULT_TENANTS_FILE): TenantConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TenantConfigError(file, [`cannot read or parse JSON: ${(err as Error).message}`]);
  }
  return parseTenants(raw, file);
}

/** `acme` + `sandbox` → `Acme-sandbox` (the name operators pass to `cdk deploy`). */
export function stackNameFor(tenant: string, stage: StageName): string {
  return `${tenant.charAt(0).toUpperCase()}${tenant.slice(1)}-${stage}`;
}

/** What the stage's functions count and throttle with (QUOTA_CONFIG, lambdas/core/quota.ts). */
export function stageQuotaConfig(stage: TenantStageConfig): StageQuotaConfig {
  return {
    tiers: stage.tiers,
    ...(stage.quota ? { deployment: stage.quota } : {}),
    ...(stage.throttle ? { stageRateLimit: stage.throttle.rateLimit } : {}),
  };
}
