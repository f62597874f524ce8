/**
 * Every AWS call each function's bundle can make (the `// iam:` declarations next to the SDK
 * calls, test/support/aws-calls.ts), evaluated against that function's role in the synthesized
 * template by an IAM policy simulator (@cloud-copilot/iam-simulate, which uses AWS's service
 * authorization reference for actions, resource types and condition keys; it runs offline).
 *
 * - every declared call is allowed, unless the function's NEVER list names it (the bundle holds
 *   the code, e.g. the shared stores, but the function must not be able to run it);
 * - every NEVER entry is denied, declared or not (another stage's table and key, key
 *   administration, usage plans of another deployment...);
 * - the decisions are the same in every tenant and stage stack.
 * The table of decisions is written to .test-output/iam-simulation.md (CI prints it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Template } from 'aws-cdk-lib/assertions';
import { FUNCTIONS } from '../../lambdas/gateway/routes';
import { SCHEDULED_FUNCTIONS } from '../../lambdas/gateway/scheduled';
import { loadTenants } from '../../lib/tenant-config';
import { synthTenants } from '../cdk/template-helpers';
import { type AwsCallDeclaration, functionCalls, ROOT, stopBundler } from '../support/aws-calls';
import { ACCOUNT, REGION, ResolvedStack, type PolicyDocument } from '../support/template-iam';

const SPECS = { ...FUNCTIONS, ...SCHEDULED_FUNCTIONS };
type Fn = keyof typeof SPECS;

/** A call in declaration syntax (`<action> <resource> [key=value,...]`), and why the function must never make it. */
interface Never {
  readonly call: string;
  readonly why: string;
}

const TAG = 'workoutkit:deployment';
const AG = 'arn:aws:apigateway:${region}::';

/** What no function may do, whatever its bundle holds. */
const NEVER_ANY: readonly Never[] = [
  { call: 'dynamodb:GetItem otherStageTable dynamodb:LeadingKeys=CLIENT#clientName', why: "reads the other stage's table" },
  { call: 'dynamodb:PutItem otherStageTable dynamodb:LeadingKeys=CLIENT#clientName', why: "writes the other stage's table" },
  { call: 'dynamodb:Query otherTenantTable dynamodb:LeadingKeys=SIGNING_KEYS', why: "reads another tenant's table" },
  { call: 'kms:Decrypt otherStageKey', why: "opens secrets sealed by the other stage's key" },
  { call: 'kms:GenerateDataKey otherTenantKey', why: "seals with another tenant's key" },
  { call: 'kms:Encrypt key', why: 'the keyring never encrypts directly (GenerateDataKey only)' },
  { call: 'kms:ScheduleKeyDeletion key', why: 'key administration is the stack’s, not a function’s' },
  { call: 'kms:PutKeyPolicy key', why: 'key administration is the stack’s, not a function’s' },
  { call: 'dynamodb:DeleteTable table', why: 'table administration is the stack’s' },
  { call: 'dynamodb:UpdateTable table', why: 'table administration is the stack’s' },
  { call: `apigateway:PATCH ${AG}/restapis/\${restApiId}`, why: 'changing the API itself is a deploy' },
  {
    call: `apigateway:POST ${AG}/apikeys aws:RequestTag/${TAG}=otherApi/\${stage} aws:TagKeys=${TAG}`,
    why: "creates API keys in another deployment's name",
  },
  {
    call: `apigateway:DELETE ${AG}/usageplans/planId aws:ResourceTag/${TAG}=otherApi/\${stage}`,
    why: "deletes another deployment's usage plan",
  },
];

const USAGE_PLAN_WRITES: readonly Never[] = [
  {
    call: `apigateway:POST ${AG}/apikeys aws:RequestTag/${TAG}=\${restApiId}/\${stage} aws:TagKeys=${TAG}`,
    why: 'API keys are created by the operator API (admin) only',
  },
  {
    call: `apigateway:POST ${AG}/usageplans aws:RequestTag/${TAG}=\${restApiId}/\${stage} aws:TagKeys=${TAG}`,
    why: 'usage plans are created by the operator API (admin) only',
  },
  {
    call: `apigateway:POST ${AG}/usageplans/planId/keys aws:ResourceTag/${TAG}=\${restApiId}/\${stage}`,
    why: 'keys are bound to plans by the operator API (admin) only',
  },
  {
    call: `apigateway:DELETE ${AG}/usageplans/planId aws:ResourceTag/${TAG}=\${restApiId}/\${stage}`,
    why: 'plans are removed by the operator API (admin) only',
  },
  {
    call: `apigateway:DELETE ${AG}/apikeys/keyId aws:ResourceTag/${TAG}=\${restApiId}/\${stage}`,
    why: 'keys are removed by the operator API (admin) only',
  },
];
const USAGE_READ: Never = {
  call: `apigateway:GET ${AG}/usageplans/planId/usage aws:ResourceTag/${TAG}=\${restApiId}/\${stage}`,
  why: "GetUsage: usage is read from the gateway's own counters",
};
/** The stage's tier plans are the template's: nothing creates, deletes or attaches to other plans at run time. */
const PLAN_ADMIN: readonly Never[] = [
  {
    call: `apigateway:POST ${AG}/usageplans aws:RequestTag/${TAG}=\${restApiId}/\${stage} aws:TagKeys=${TAG}`,
    why: 'CreateUsagePlan: tiers are usage plans of the template',
  },
  { call: `apigateway:DELETE ${AG}/usageplans/\${tierPlan}`, why: 'DeleteUsagePlan: the stack owns its tier plans' },
  { call: `apigateway:POST ${AG}/usageplans/otherPlan/keys`, why: "attaches keys to a plan that is not one of this stage's tiers" },
  {
    call: `apigateway:DELETE ${AG}/usageplans/otherPlan/keys/keyId`,
    why: "detaches keys from a plan that is not one of this stage's tiers",
  },
];
/** The counter and deletion calls a read-only function's bundle holds (the shared stores). */
const COUNTER_WRITES = (who: string): Never[] => [
  write('UpdateItem', 'USAGE#C#clientName#shard', `counts usage (${who} does not count requests)`),
  write('UpdateItem', 'USAGE#D#shard', `counts usage (${who} does not count requests)`),
  write('DeleteItem', 'USAGE#C#clientName#shard', "removes counters (client deletion is the operator API's)"),
  write('DeleteItem', 'AUTHLOG#clientName', "removes the refusal log (client deletion is the operator API's)"),
];

const write = (action: string, partition: string, why: string): Never => ({
  call: `dynamodb:${action} table dynamodb:LeadingKeys=${partition}`,
  why,
});

/**
 * WorkoutKitTokens are the session function's alone: every other role is refused the
 * launch-token items, read or write, alone or in a batch with other keys, and the Scan that
 * would read them with everything else. The bundles that hold the launch-token store's calls
 * (the shared Deps) are refused exactly those, declared.
 */
const LAUNCH_TOKEN_ITEMS: readonly Never[] = [
  write('GetItem', 'LAUNCH#jti', 'reads a launch token (the session function issues and checks them)'),
  write('PutItem', 'LAUNCH#jti', 'issues launch tokens (the session function does)'),
  write('UpdateItem', 'LAUNCH#jti', 'changes a launch token'),
  write('DeleteItem', 'LAUNCH#jti', 'removes a launch token'),
  write('Query', 'LAUNCH#jti', 'lists a launch token'),
  write('ConditionCheckItem', 'LAUNCH#jti', 'checks a launch token in a transaction'),
  write('BatchGetItem', 'CLIENT#clientName,LAUNCH#jti', 'reads a launch token by batching it with an allowed key'),
  write('BatchWriteItem', 'SESSION#id,LAUNCH#jti', 'writes a launch token by batching it with an allowed key'),
  { call: 'dynamodb:Scan table', why: 'a Scan reads every item, launch tokens included' },
];

/** Per function: what its bundle holds (shared stores) but its role must refuse, and more. */
const NEVER: Readonly<Record<Fn, readonly Never[]>> = {
  authorizer: [
    write('PutItem', 'CLIENT#clientName', 'writes a client profile'),
    write('UpdateItem', 'CLIENT#clientName', 'changes a client profile'),
    write('DeleteItem', 'CLIENT#clientName', 'removes a client'),
    write('PutItem', 'SIGNING_KEYS', 'creates a signing key'),
    write('UpdateItem', 'SIGNING_KEYS', 'retires a signing key'),
    write('PutItem', 'REVOKED#sha256(jti)', 'revokes tokens'),
    write('PutItem', 'APIKEY#sha256(key)', 'attaches API keys'),
    write('DeleteItem', 'APIKEY#sha256(key)', 'detaches API keys'),
    write('PutItem', 'DEPLOYMENT', 'creates deployment secrets'),
    write('PutItem', 'SESSION#id', 'writes content'),
    write('PutItem', 'CATALOG', 'writes the catalogue'),
    write('PutItem', 'EVENTS#clientName#sub', 'records user events'),
    ...LAUNCH_TOKEN_ITEMS,
    write('PutItem', 'IDEMPOTENCY#clientName#key#sub', 'claims idempotency keys (the api function does)'),
    write('UpdateItem', 'AUTHFAIL#clientName', 'counts token-endpoint failures (authtoken does)'),
    write('DeleteItem', 'AUTHFAIL#clientName', 'resets token-endpoint failures'),
    ...COUNTER_WRITES('the authorizer'),
    write('BatchWriteItem', 'AUTHLOG#clientName,CLIENT#clientName', 'writes outside AUTHLOG# by batching it with a refusal'),
    { call: 'kms:GenerateDataKey key', why: 'seals nothing (it only opens client secrets and API keys)' },
    ...USAGE_PLAN_WRITES,
    USAGE_READ,
  ],
  authtoken: [...USAGE_PLAN_WRITES, USAGE_READ, ...PLAN_ADMIN, ...LAUNCH_TOKEN_ITEMS],
  api: [...USAGE_PLAN_WRITES, USAGE_READ, ...PLAN_ADMIN, ...LAUNCH_TOKEN_ITEMS],
  session: [...USAGE_PLAN_WRITES, USAGE_READ, ...PLAN_ADMIN],
  admin: [USAGE_READ, ...PLAN_ADMIN, ...LAUNCH_TOKEN_ITEMS],
  public: [...USAGE_PLAN_WRITES, USAGE_READ, ...PLAN_ADMIN, ...LAUNCH_TOKEN_ITEMS],
  quotaMonitor: [
    write('PutItem', 'CLIENT#clientName', 'writes a client profile'),
    write('UpdateItem', 'CLIENT#clientName', 'changes a client profile'),
    write('DeleteItem', 'CLIENT#clientName', 'removes a client'),
    write('PutItem', 'SIGNING_KEYS', 'creates a signing key'),
    write('UpdateItem', 'SIGNING_KEYS', 'retires a signing key'),
    write('PutItem', 'REVOKED#sha256(jti)', 'revokes tokens'),
    write('PutItem', 'APIKEY#sha256(key)', 'attaches API keys'),
    write('DeleteItem', 'APIKEY#sha256(key)', 'detaches API keys'),
    write('PutItem', 'DEPLOYMENT', 'creates deployment secrets'),
    write('PutItem', 'SESSION#id', 'writes content'),
    write('PutItem', 'CATALOG', 'writes the catalogue'),
    write('PutItem', 'EVENTS#clientName#sub', 'records user events'),
    ...LAUNCH_TOKEN_ITEMS,
    write('PutItem', 'IDEMPOTENCY#clientName#key#sub', 'claims idempotency keys'),
    write('UpdateItem', 'AUTHFAIL#clientName', 'counts token-endpoint failures'),
    write('DeleteItem', 'AUTHFAIL#clientName', 'resets token-endpoint failures'),
    ...COUNTER_WRITES('the quota monitor'),
    write('PutItem', 'AUTHLOG#clientName', 'files refusals'),
    { call: 'kms:Decrypt key', why: 'opens no secret (it reads the counters only)' },
    { call: 'kms:GenerateDataKey key', why: 'seals nothing' },
    ...USAGE_PLAN_WRITES,
    USAGE_READ,
    ...PLAN_ADMIN,
  ],
};

/** `dynamodb:GetItem table k=v1,v2` → its parts (the same grammar as the source declarations). */
function parseCall(text: string): Pick<AwsCallDeclaration, 'action' | 'resource' | 'context'> {
  const [action, resource, ...ctx] = text.split(' ');
  const context: Record<string, string[]> = {};
  for (const entry of ctx) {
    const eq = entry.indexOf('=');
    context[entry.slice(0, eq)] = entry.slice(eq + 1).split(',');
  }
  return { action: action as string, resource: resource as string, context };
}

/** One canonical text per call, so declarations and NEVER entries compare (placeholders as bare names). */
function callKey(c: Pick<AwsCallDeclaration, 'action' | 'resource' | 'context'>): string {
  const bare = (s: string) => s.replace(/<([^>]+)>/g, '$1');
  const ctx = Object.keys(c.context)
    .sort()
    .map((k) => `${k}=${(c.context[k] ?? []).map(bare).join(',')}`);
  return [c.action, bare(c.resource), ...ctx].join(' ');
}

interface World {
  readonly own: ResolvedStack;
  readonly otherStage: ResolvedStack;
  readonly otherTenant: ResolvedStack;
  readonly stage: string;
}

function resourceArn(resource: string, w: World): { arn: string; keyPolicy?: PolicyDocument } {
  switch (resource) {
    case 'table':
      return { arn: w.own.tableArn };
    case 'otherStageTable':
      return { arn: w.otherStage.tableArn };
    case 'otherTenantTable':
      return { arn: w.otherTenant.tableArn };
    case 'key':
      return { arn: w.own.keyArn, keyPolicy: w.own.keyPolicy };
    case 'otherStageKey':
      return { arn: w.otherStage.keyArn, keyPolicy: w.otherStage.keyPolicy };
    case 'otherTenantKey':
      return { arn: w.otherTenant.keyArn, keyPolicy: w.otherTenant.keyPolicy };
  }
  // An index of the table: `table/index/<name>`.
  if (resource.startsWith('table/index/')) return { arn: `${w.own.tableArn}/${resource.slice('table/'.length)}` };
  if (!resource.startsWith('arn:')) throw new Error(`unknown resource ${resource}`);
  return { arn: substitute(resource, w) };
}

function substitute(text: string, w: World): string {
  return text
    .replace(/\$\{region\}/g, REGION)
    .replace(/\$\{account\}/g, ACCOUNT)
    .replace(/\$\{restApiId\}/g, w.own.restApiIdValue)
    .replace(/\$\{stage\}/g, w.stage)
    .replace(/\$\{tierPlan\}/g, w.own.defaultTierPlanIdValue)
    .replace(/<([^>]+)>/g, '$1');
}

type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

async function simulate(
  roleArn: string,
  policies: { name: string; policy: PolicyDocument }[],
  call: Pick<AwsCallDeclaration, 'action' | 'resource' | 'context'>,
  w: World,
): Promise<Decision> {
  const { arn, keyPolicy } = resourceArn(call.resource, w);
  const contextVariables: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(call.context)) {
    const values = v.map((x) => substitute(x, w));
    // Multi-valued keys (LeadingKeys, TagKeys) are sets; the rest are single strings.
    contextVariables[k] = /LeadingKeys$|TagKeys$/.test(k) ? values : (values[0] as string);
  }
  const result = await runSimulation(
    {
      identityPolicies: policies.map((p) => ({ name: p.name, policy: p.policy as unknown as Record<string, unknown> })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(keyPolicy ? { resourcePolicy: keyPolicy } : {}),
      request: { action: call.action, principal: roleArn, resource: { resource: arn, accountId: ACCOUNT }, contextVariables },
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`simulation of ${callKey(call)} failed: ${JSON.stringify(result.errors)}`);
  // A context key the simulator drops for this action would make the check meaningless.
  if (result.resultType === 'single' && (result.result.ignoredContextKeys ?? []).length > 0) {
    throw new Error(`${callKey(call)}: the simulator ignores ${result.result.ignoredContextKeys?.join(', ')} for this action`);
  }
  return result.overallResult;
}

interface Row {
  readonly call: string;
  readonly sites: readonly string[];
  readonly expected: 'allow' | 'deny';
  readonly why?: string;
  readonly decision: Decision;
}

const tenants = loadTenants();
const stacks = new Map<string, ResolvedStack>();
const calls = new Map<Fn, Awaited<ReturnType<typeof functionCalls>>>();
const rows = new Map<string, Row[]>(); // `${stack}/${fn}`

beforeAll(async () => {
  // Every stack is resolved in one account and region (support/template-iam.ts); a tenant's own
  // `account`/`region` in tenants.json changes its ARNs, not what its roles may do.
  const placed = tenants.map(({ account: _account, region: _region, ...t }) => t);
  for (const s of synthTenants(placed)) stacks.set(s.stackName, new ResolvedStack(s.stackName, Template.fromStack(s)));
  for (const fn of Object.keys(SPECS) as Fn[]) calls.set(fn, await functionCalls(SPECS[fn].entry));
}, 400_000); // four stacks synthesized and seven bundles analysed; slow on a loaded machine
afterAll(() => stopBundler());

test('every SDK call in every bundle is declared, as an action its command can be', () => {
  for (const [fn, c] of calls) {
    expect({ fn, problems: c.problems }).toEqual({ fn, problems: [] });
    expect(c.calls.length).toBeGreaterThan(0);
  }
  // The stores are where AWS is called; a bundle without them would mean the metafile read failed.
  expect(calls.get('authorizer')?.sources).toEqual(expect.arrayContaining(['lambdas/store/keyring.ts', 'lambdas/store/client-store.ts']));
});

const stackNames = (): string[] => [...stacks.keys()].sort();

test('each function can make every call its bundle declares, except what it must never do, and nothing on its NEVER list', async () => {
  const failures: string[] = [];
  for (const name of stackNames()) {
    const own = stacks.get(name) as ResolvedStack;
    const [tenantPart, stage] = name.split('-') as [string, string];
    const otherStageName = `${tenantPart}-${stage === 'prod' ? 'sandbox' : 'prod'}`;
    const otherTenantName = stackNames().find((s) => !s.startsWith(`${tenantPart}-`) && s.endsWith(`-${stage}`));
    const w: World = {
      own,
      otherStage: stacks.get(otherStageName) as ResolvedStack,
      otherTenant: stacks.get(otherTenantName as string) as ResolvedStack,
      stage,
    };
    for (const fn of Object.keys(SPECS) as Fn[]) {
      const { roleArn, policies } = own.rolePolicies(own.functionId(SPECS[fn].description));
      const never = new Map(NEVER_ANY.concat(NEVER[fn]).map((n) => [callKey(parseCall(n.call)), n.why]));
      const declared = new Map<string, { call: AwsCallDeclaration; sites: string[] }>();
      for (const c of calls.get(fn)?.calls ?? []) {
        const key = callKey(c);
        const entry = declared.get(key) ?? { call: c, sites: [] };
        entry.sites.push(c.site);
        declared.set(key, entry);
      }
      const out: Row[] = [];
      for (const [key, { call, sites }] of declared) {
        const why = never.get(key);
        const decision = await simulate(roleArn, policies, call, w);
        out.push({ call: key, sites, expected: why ? 'deny' : 'allow', ...(why ? { why } : {}), decision });
      }
      for (const [key, why] of never) {
        if (declared.has(key)) continue;
        out.push({ call: key, sites: [], expected: 'deny', why, decision: await simulate(roleArn, policies, parseCall(key), w) });
      }
      for (const r of out) {
        const ok = r.expected === 'allow' ? r.decision === 'Allowed' : r.decision !== 'Allowed';
        if (!ok)
          failures.push(
            `${name} ${fn}: ${r.call} is ${r.decision}, expected ${r.expected}${r.why ? ` (${r.why})` : ''} [${r.sites.join(' ')}]`,
          );
      }
      rows.set(`${name}/${fn}`, out);
    }
  }
  expect(failures).toEqual([]);
}, 300_000);

test('the decisions are the same in every tenant and stage stack', () => {
  for (const fn of Object.keys(SPECS) as Fn[]) {
    const per = stackNames().map((s) => (rows.get(`${s}/${fn}`) ?? []).map((r) => `${r.call} ${r.decision}`).sort());
    expect(per[0]?.length).toBeGreaterThan(0);
    for (const p of per) expect(p).toEqual(per[0]);
  }
  writeReport();
});

function writeReport(): void {
  const first = stackNames()[0] as string;
  const lines = [
    '# IAM simulation of every AWS call',
    '',
    `Simulated with @cloud-copilot/iam-simulate against each function's role in the synthesized templates of ${stackNames().join(', ')}`,
    `(identical decisions in all; ARNs below as in ${first}, account ${ACCOUNT}, ${REGION}). \`table\`/\`key\` are the deployment's own,`,
    "`otherStage*`/`otherTenant*` another stack's. Allowed calls are the ones the function's bundle makes; denied ones are",
    'in its bundle (shared stores) or on its never-list, and the role refuses them.',
    '',
  ];
  for (const fn of Object.keys(SPECS) as Fn[]) {
    const r = rows.get(`${first}/${fn}`) ?? [];
    const allowed = r.filter((x) => x.decision === 'Allowed');
    const denied = r.filter((x) => x.decision !== 'Allowed');
    lines.push(
      `## ${fn} (${allowed.length} allowed, ${denied.length} denied)`,
      '',
      '| call | decision | why / where |',
      '| --- | --- | --- |',
    );
    for (const x of [...allowed, ...denied]) {
      const where = x.why ?? x.sites.map((s) => s.replace('lambdas/', '')).join(', ');
      lines.push(`| \`${x.call}\` | ${x.decision === 'Allowed' ? 'ALLOW' : 'DENY'} | ${where} |`);
    }
    lines.push('');
  }
  const dir = path.join(ROOT, '.test-output');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'iam-simulation.md'), `${lines.join('\n')}\n`);
}
