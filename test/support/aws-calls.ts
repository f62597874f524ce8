/**
 * The AWS calls each Lambda function can make, read from the source its bundle is built from.
 *
 * Every SDK call site (`new XCommand(` with X imported from an `@aws-sdk/*` package) carries,
 * in the lines just above it, one or more declarations:
 *
 *   // iam: <action> <resource> [<context key>=<value>[,<value>...] ...]
 *
 * - `<action>` is the IAM action the request is authorized as (`dynamodb:GetItem`,
 *   `apigateway:POST`, `kms:Decrypt`); it must be one the command can be (COMMAND_ACTIONS).
 * - `<resource>` is `table` (the deployment's table), `key` (its KMS key) or an ARN pattern
 *   with `${region}`, `${account}`, `${restApiId}` and `${stage}` taken from the function's stack.
 * - the context entries are the condition keys the request carries that the policy may test:
 *   `dynamodb:LeadingKeys`, `aws:RequestTag/...`, `aws:ResourceTag/...`, `aws:TagKeys`.
 * `<name>` segments stand for run-time values (a client name, a digest, a plan id).
 *
 * Which files a function's bundle holds comes from esbuild's metafile, built with the options
 * of lib/bundled-function.ts, so a call becomes part of a function exactly when its module
 * becomes part of the bundle.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build, stop } from 'esbuild';
import { LAMBDA_CREDENTIALS } from '../../lib/bundled-function';

export const ROOT = path.resolve(__dirname, '../..');

export interface AwsCallDeclaration {
  /** `lambdas/store/client-store.ts:83` (the command's line). */
  readonly site: string;
  /** The SDK command class, e.g. `GetCommand`. */
  readonly command: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, readonly string[]>>;
}

export interface CallSiteProblem {
  readonly site: string;
  readonly problem: string;
}

/** lib-dynamodb's document commands are authorized as the item operations they send. */
const DOCUMENT_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  GetCommand: ['dynamodb:GetItem'],
  PutCommand: ['dynamodb:PutItem'],
  UpdateCommand: ['dynamodb:UpdateItem'],
  DeleteCommand: ['dynamodb:DeleteItem'],
  QueryCommand: ['dynamodb:Query'],
  ScanCommand: ['dynamodb:Scan'],
  BatchGetCommand: ['dynamodb:BatchGetItem'],
  BatchWriteCommand: ['dynamodb:BatchWriteItem'],
  TransactGetCommand: ['dynamodb:GetItem'],
  // TransactWriteItems is authorized per item, as the write each item is.
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
  TransactWriteCommand: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
};

/**
 * API Gateway's management API is authorized by HTTP verb on the resource path.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-using-iam-policies-to-create-and-manage-api.html
 */
const APIGATEWAY_VERBS: readonly [RegExp, string][] = [
  [/^Create/, 'apigateway:POST'],
  [/^(Get|Describe)/, 'apigateway:GET'],
  [/^Update/, 'apigateway:PATCH'],
  [/^Delete/, 'apigateway:DELETE'],
  [/^(Put|Import)/, 'apigateway:PUT'],
  [/^(Tag|Untag)/, 'apigateway:PUT'],
];

/** The IAM actions a command of `pkg` named `command` can be authorized as. */
export function commandActions(pkg: string, command: string): readonly string[] {
  const op = command.replace(/Command$/, '');
  if (pkg === '@aws-sdk/lib-dynamodb') return DOCUMENT_COMMANDS[command] ?? [];
  if (pkg === '@aws-sdk/client-dynamodb') {
    if (op === 'TransactWriteItems') return DOCUMENT_COMMANDS.TransactWriteCommand ?? [];
    if (op === 'TransactGetItems') return ['dynamodb:GetItem'];
    return [`dynamodb:${op}`];
  }
  if (pkg === '@aws-sdk/client-kms') return [`kms:${op}`];
  if (pkg === '@aws-sdk/client-api-gateway') {
    const verb = APIGATEWAY_VERBS.find(([re]) => re.test(op));
    return verb ? [verb[1]] : [];
  }
  const service = pkg.replace('@aws-sdk/client-', '').replace(/-/g, '');
  return [`${service}:${op}`];
}

/** How far above its command a declaration may be (a multi-line `await guarded(() => send(` is 3). */
const DECLARATION_REACH = 6;
const DECLARATION = /^\s*\/\/ iam: (\S+) (\S+)((?: \S+=\S+)*)\s*$/;

/** Named imports from `@aws-sdk/*` packages: local name → package. */
function sdkImports(source: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(@aws-sdk\/[^']+)'/g;
  for (const m of source.matchAll(re)) {
    for (const part of (m[1] as string).split(',')) {
      const spec = part.trim();
      if (spec === '' || spec.startsWith('type ')) continue;
      const [imported, local] = spec.split(/\s+as\s+/);
      out.set((local ?? imported) as string, m[2] as string);
    }
  }
  return out;
}

/**
 * Every SDK call site of one file with its declarations, and what is wrong with any of them.
 * `file` is only used in the reported sites.
 */
export function scanSource(file: string, source: string): { calls: AwsCallDeclaration[]; problems: CallSiteProblem[] } {
  const imports = sdkImports(source);
  const lines = source.split('\n');
  const calls: AwsCallDeclaration[] = [];
  const problems: CallSiteProblem[] = [];
  for (const [name, pkg] of imports) {
    // Aggregated clients (`new DynamoDB().getItem()`) and paginators call AWS without a command here.
    if (/^paginate[A-Z]/.test(name) || /^(DynamoDB|DynamoDBDocument|KMS|APIGateway)$/.test(name)) {
      problems.push({ site: file, problem: `${name} from ${pkg} calls AWS without a command at a declared site` });
    }
  }
  let previousSite = -1;
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/new\s+([A-Za-z0-9_]+Command)\s*\(/g)) {
      const command = m[1] as string;
      const pkg = imports.get(command);
      if (!pkg) continue;
      const site = `${file}:${i + 1}`;
      const allowed = commandActions(pkg, command);
      const from = Math.max(previousSite + 1, i - DECLARATION_REACH);
      const declared = lines
        .slice(from, i)
        .map((l) => DECLARATION.exec(l))
        .filter((d): d is RegExpExecArray => d !== null);
      previousSite = i;
      if (declared.length === 0) {
        problems.push({ site, problem: `${command} has no "// iam:" declaration in the ${DECLARATION_REACH} lines above it` });
        continue;
      }
      for (const d of declared) {
        const action = d[1] as string;
        if (!allowed.includes(action)) {
          problems.push({ site, problem: `${command} is authorized as ${allowed.join(' | ') || '(unknown)'}, not ${action}` });
          continue;
        }
        const context: Record<string, string[]> = {};
        for (const entry of (d[3] ?? '').trim().split(' ').filter(Boolean)) {
          const eq = entry.indexOf('=');
          context[entry.slice(0, eq)] = entry.slice(eq + 1).split(',');
        }
        calls.push({ site, command, action, resource: d[2] as string, context });
      }
    }
  });
  return { calls, problems };
}

/** The project's own source files in the bundle of `entry` (relative to ROOT), from esbuild's metafile. */
export async function bundledSources(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    write: false,
    outfile: path.join(ROOT, 'out.js'),
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    metafile: true,
    absWorkingDir: ROOT,
    alias: { '@aws-sdk/credential-provider-node': path.join(ROOT, LAMBDA_CREDENTIALS) },
    logLevel: 'error',
  });
  const inputs = Object.values(result.metafile.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([file]) => file),
  );
  return [...new Set(inputs)].filter((f) => f.startsWith('lambdas/')).sort();
}

export interface FunctionCalls {
  readonly sources: readonly string[];
  readonly calls: readonly AwsCallDeclaration[];
  readonly problems: readonly CallSiteProblem[];
}

/** The declared calls (and undeclared sites) of the bundle built from `entry`. */
export async function functionCalls(entry: string): Promise<FunctionCalls> {
  const sources = await bundledSources(entry);
  const calls: AwsCallDeclaration[] = [];
  const problems: CallSiteProblem[] = [];
  for (const file of sources) {
    const scanned = scanSource(file, readFileSync(path.join(ROOT, file), 'utf8'));
    calls.push(...scanned.calls);
    problems.push(...scanned.problems);
  }
  return { sources, calls, problems };
}

/** Ends esbuild's service process (jest waits for it otherwise). */
export function stopBundler(): void {
  void stop();
}
