/**
 * Which stage the CLI talks to, and how it authenticates operator calls there:
 * `--url`, or `--tenant` + `--stage` looked up in the files `cdk deploy --outputs-file` writes
 * (one per tenant under cdk-outputs/, so deploying one tenant never hides another's URL).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { STAGES, type StageName } from '../lambdas/gateway/settings';
import { stackNameFor } from '../lib/tenant-config';
import { usageError } from './exit-codes';

export type OperatorAuth = { readonly kind: 'iam'; readonly region: string } | { readonly kind: 'admin-key' };

export interface Target {
  /** The stage base URL without a trailing slash, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/prod`. */
  readonly baseUrl: string;
  readonly operatorAuth: OperatorAuth;
  /** The stage name when the URL or the options tell it (used to pick WK_ADMIN_KEY_<STAGE>). */
  readonly stage?: string;
}

export interface TargetOptions {
  url?: string;
  tenant?: string;
  stage?: string;
  outputsFile?: string;
  auth?: string;
  region?: string;
}

// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html
const EXECUTE_API_HOST = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** One file per tenant (or stack) in here: a deploy rewrites only its own file. */
export const DEFAULT_OUTPUTS_DIR = 'cdk-outputs';
/** The single file older instructions wrote (each deploy rewrites it with its own stacks only). */
export const LEGACY_OUTPUTS_FILE = 'cdk-outputs.json';

export function regionOfHost(hostname: string): string | undefined {
  return EXECUTE_API_HOST.exec(hostname)?.[1];
}

const DEPLOY_HINT = (stackName: string, tenant: string) =>
  `write it when deploying: npx cdk deploy ${stackName} --outputs-file ${DEFAULT_OUTPUTS_DIR}/${tenant}.json (or give --url)`;

/**
 * The files to read: the one given (a directory means every *.json in it), or by default
 * cdk-outputs.json and every cdk-outputs/*.json, oldest first so the newest deploy wins.
 */
function outputsSources(given: string | undefined): string[] {
  const expand = (p: string): string[] =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith('.json'))
          .map((f) => path.join(p, f))
      : [p];
  const candidates = given !== undefined ? [path.resolve(given)] : [path.resolve(LEGACY_OUTPUTS_FILE), path.resolve(DEFAULT_OUTPUTS_DIR)];
  const files = candidates.filter((p) => existsSync(p)).flatMap(expand);
  return files.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
}

/**
 * The stage's base URL from the outputs: `BaseUrl` (the custom domain when the stage has one),
 * else `ApiUrl`; and the region of the execute-api URL, which SigV4 needs on a custom domain too.
 */
function readOutputsUrl(given: string | undefined, tenant: string, stage: StageName): { url: string; region?: string } {
  const stackName = stackNameFor(tenant, stage);
  const files = outputsSources(given);
  if (files.length === 0) {
    const where =
      given !== undefined ? path.resolve(given) : `${path.resolve(DEFAULT_OUTPUTS_DIR)}/ or ${path.resolve(LEGACY_OUTPUTS_FILE)}`;
    throw usageError(`No CDK outputs file at ${where}`, DEPLOY_HINT(stackName, tenant));
  }
  let url: string | undefined;
  let apiUrl: string | undefined;
  const known = new Set<string>();
  for (const file of files) {
    let outputs: unknown;
    try {
      outputs = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw usageError(`${file} is not valid JSON`, 'regenerate it with cdk deploy --outputs-file');
    }
    if (!outputs || typeof outputs !== 'object') continue;
    for (const k of Object.keys(outputs)) known.add(k);
    const stack = (outputs as Record<string, unknown>)[stackName];
    const values = typeof stack === 'object' && stack !== null ? (stack as Record<string, unknown>) : {};
    const value = typeof values.BaseUrl === 'string' ? values.BaseUrl : values.ApiUrl;
    if (typeof value === 'string') {
      url = value;
      apiUrl = typeof values.ApiUrl === 'string' ? values.ApiUrl : undefined;
    }
  }
  if (url === undefined) {
    const list = [...known].join(', ');
    throw usageError(
      `No ApiUrl output for stack ${stackName} in ${files.join(', ')}`,
      `deploy it with: npx cdk deploy ${stackName} --outputs-file ${given ?? `${DEFAULT_OUTPUTS_DIR}/${tenant}.json`}${list ? ` (the files have: ${list})` : ''}`,
    );
  }
  let region: string | undefined;
  try {
    region = typeof apiUrl === 'string' ? regionOfHost(new URL(apiUrl).hostname) : undefined;
  } catch {
    region = undefined;
  }
  return region === undefined ? { url } : { url, region };
}

export function resolveTarget(opts: TargetOptions, env: NodeJS.ProcessEnv): Target {
  let raw = opts.url ?? env.WK_URL;
  let stage: string | undefined = opts.stage;
  let outputsRegion: string | undefined;
  if (opts.tenant !== undefined || (raw === undefined && opts.stage !== undefined)) {
    if (opts.url !== undefined) throw usageError('Give either --url or --tenant with --stage, not both');
    if (opts.tenant === undefined || opts.stage === undefined)
      throw usageError('--tenant and --stage go together', 'e.g. --tenant acme --stage sandbox');
    if (!(STAGES as readonly string[]).includes(opts.stage)) throw usageError(`--stage must be one of ${STAGES.join(', ')}`);
    const found = readOutputsUrl(opts.outputsFile ?? env.WK_CDK_OUTPUTS, opts.tenant.toLowerCase(), opts.stage as StageName);
    raw = found.url;
    outputsRegion = found.region;
  }
  if (raw === undefined) {
    throw usageError(
      'Which stage? Give --url <stage base URL> or --tenant <name> --stage <sandbox|prod>',
      `locally: --url http://127.0.0.1:3000/sandbox (npm start prints it); deployed: --tenant acme --stage prod reads ${DEFAULT_OUTPUTS_DIR}/*.json`,
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(`Not a URL: ${raw}`, 'e.g. --url http://127.0.0.1:3000/sandbox');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError('--url must be http or https');
  if (url.search || url.hash) throw usageError('--url is the stage base URL, without query or fragment');
  const baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  stage ??= url.pathname.split('/').filter(Boolean).pop();

  // A custom domain names no region; the outputs file's execute-api URL does.
  const hostRegion = regionOfHost(url.hostname) ?? outputsRegion;
  const mode = opts.auth ?? 'auto';
  let operatorAuth: OperatorAuth;
  if (mode === 'admin-key' || (mode === 'auto' && hostRegion === undefined)) {
    operatorAuth = { kind: 'admin-key' };
  } else if (mode === 'iam' || mode === 'auto') {
    const region = opts.region ?? hostRegion ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region)
      throw usageError('SigV4 signing needs a region', 'give --region (it is read from *.execute-api.<region>.amazonaws.com hosts)');
    operatorAuth = { kind: 'iam', region };
  } else {
    throw usageError(`--auth must be auto, iam or admin-key (got ${mode})`);
  }
  return { baseUrl, operatorAuth, ...(stage ? { stage } : {}) };
}
