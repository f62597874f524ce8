/**
 * Which stage the CLI talks to, and how it authenticates operator calls there:
 * `--url`, or `--tenant` + `--stage` looked up in the file `cdk deploy --outputs-file` writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { STAGES, type StageName } from '../lambdas/gateway/settings';
import { stackNameFor } from '../lib/tenant-config';
import { usageError } from './exit-codes';

export type OperatorAuth =
  | { readonly kind: 'iam'; readonly region: string }
  | { readonly kind: 'admin-key' };

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

export const DEFAULT_OUTPUTS_FILE = 'cdk-outputs.json';

export function regionOfHost(hostname: string): string | undefined {
  return EXECUTE_API_HOST.exec(hostname)?.[1];
}

function readOutputsUrl(file: string, tenant: string, stage: StageName): string {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) {
    throw usageError(
      `No CDK outputs file at ${resolved}`,
      'write it when deploying: npx cdk deploy <Tenant>-sandbox <Tenant>-prod --outputs-file cdk-outputs.json (or give --url)',
    );
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(readFileSync(resolved, 'utf8'));
  } catch {
    throw usageError(`${resolved} is not valid JSON`, 'regenerate it with cdk deploy --outputs-file');
  }
  const stackName = stackNameFor(tenant, stage);
  const stack = (outputs as Record<string, unknown> | null)?.[stackName];
  const url = typeof stack === 'object' && stack !== null ? (stack as Record<string, unknown>).ApiUrl : undefined;
  if (typeof url !== 'string') {
    const known = outputs && typeof outputs === 'object' ? Object.keys(outputs).join(', ') : '';
    throw usageError(
      `No ApiUrl output for stack ${stackName} in ${resolved}`,
      `deploy it with: npx cdk deploy ${stackName} --outputs-file ${file}${known ? ` (the file has: ${known})` : ''}`,
    );
  }
  return url;
}

export function resolveTarget(opts: TargetOptions, env: NodeJS.ProcessEnv): Target {
  let raw = opts.url ?? env.WK_URL;
  let stage: string | undefined = opts.stage;
  if (opts.tenant !== undefined || (raw === undefined && opts.stage !== undefined)) {
    if (opts.url !== undefined) throw usageError('Give either --url or --tenant with --stage, not both');
    if (opts.tenant === undefined || opts.stage === undefined) throw usageError('--tenant and --stage go together', 'e.g. --tenant acme --stage sandbox');
    if (!(STAGES as readonly string[]).includes(opts.stage)) throw usageError(`--stage must be one of ${STAGES.join(', ')}`);
    raw = readOutputsUrl(opts.outputsFile ?? env.WK_CDK_OUTPUTS ?? DEFAULT_OUTPUTS_FILE, opts.tenant.toLowerCase(), opts.stage as StageName);
  }
  if (raw === undefined) {
    throw usageError(
      'Which stage? Give --url <stage base URL> or --tenant <name> --stage <sandbox|prod>',
      'locally: --url http://127.0.0.1:3000/sandbox (npm start prints it); deployed: --tenant acme --stage prod reads cdk-outputs.json',
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

  const hostRegion = regionOfHost(url.hostname);
  const mode = opts.auth ?? 'auto';
  let operatorAuth: OperatorAuth;
  if (mode === 'admin-key' || (mode === 'auto' && hostRegion === undefined)) {
    operatorAuth = { kind: 'admin-key' };
  } else if (mode === 'iam' || mode === 'auto') {
    const region = opts.region ?? hostRegion ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) throw usageError('SigV4 signing needs a region', 'give --region (it is read from *.execute-api.<region>.amazonaws.com hosts)');
    operatorAuth = { kind: 'iam', region };
  } else {
    throw usageError(`--auth must be auto, iam or admin-key (got ${mode})`);
  }
  return { baseUrl, operatorAuth, ...(stage ? { stage } : {}) };
}
