/**
 * The IAM policies docs/deploy.md hands out (docs/iam/*.json), checked against what the stacks
 * synthesize: the deployer may assume exactly the CDK bootstrap roles the stacks name (and not
 * the CloudFormation execution role), the execution policy covers every service the templates
 * use, and the operator policy reaches every IAM-authorized (operator) method and nothing else.
 * Placeholders (ACCOUNT_ID, REGION, TENANT, SANDBOX_API_ID, PROD_API_ID) are filled with sample
 * values; ARN patterns are matched the way IAM does (`*` any run, `?` one character).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { ROUTES } from '../../lambdas/gateway/routes';
import { STAGES } from '../../lambdas/gateway/settings';
import { loadTenants, stackNameFor } from '../../lib/tenant-config';
import { addTenantStacks } from '../../lib/tenant-stacks';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const API_IDS = { sandbox: 'a1b2c3d4e5', prod: 'f6g7h8i9j0' } as const;
const [tenant] = loadTenants();
const TENANT = stackNameFor(tenant?.name ?? 'acme', 'prod').replace(/-prod$/, '');

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}
function policy(file: string, account = ACCOUNT, region = REGION): Statement[] {
  const text = readFileSync(path.resolve(__dirname, '../../docs/iam', file), 'utf8')
    .replace(/SANDBOX_API_ID/g, API_IDS.sandbox)
    .replace(/PROD_API_ID/g, API_IDS.prod)
    .replace(/ACCOUNT_ID/g, account)
    .replace(/REGION/g, region)
    .replace(/TENANT/g, TENANT);
  return (JSON.parse(text) as { Statement: Statement[] }).Statement;
}
const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);
const glob = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);
const allows = (statements: Statement[], action: string, resource: string): boolean =>
  statements.some(
    (s) => s.Effect === 'Allow' && list(s.Action).some((a) => glob(a, action)) && list(s.Resource).some((r) => glob(r, resource)),
  );
const concrete = (arn: string): string =>
  arn
    .replace(/\$\{AWS::Partition\}/g, 'aws')
    .replace(/\$\{AWS::AccountId\}/g, ACCOUNT)
    .replace(/\$\{AWS::Region\}/g, REGION);

const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stacks = addTenantStacks(app, loadTenants());
const assembly = app.synth();
const artifacts = stacks.map((s) => assembly.getStackArtifact(s.artifactId));

describe('docs/iam/deployer-policy.json', () => {
  const deployer = policy('deployer-policy.json');
  const roles = new Set<string>();
  for (const a of artifacts) {
    if (a.assumeRoleArn) roles.add(concrete(a.assumeRoleArn));
    if (a.lookupRole?.arn) roles.add(concrete(a.lookupRole.arn));
  }
  for (const asset of assembly.artifacts) {
    const manifest =
      (asset as { file?: string; constructor: { name: string } }).constructor.name === 'AssetManifestArtifact'
        ? (JSON.parse(readFileSync((asset as unknown as { file: string }).file, 'utf8')) as {
            files?: Record<string, { destinations: Record<string, { assumeRoleArn?: string }> }>;
          })
        : undefined;
    for (const f of Object.values(manifest?.files ?? {}))
      for (const d of Object.values(f.destinations)) if (d.assumeRoleArn) roles.add(concrete(d.assumeRoleArn));
  }

  test('lets the deployer assume every bootstrap role the stacks and their assets name', () => {
    expect(roles.size).toBeGreaterThanOrEqual(3);
    // A tenant with its own account or region (tenants.json) gets the policy filled for that
    // environment: the bootstrap roles are named by account and region.
    const ownEnvironment = (role: string) => /:role\/cdk-[a-z0-9]+-[a-z-]+-role-(\d{12})-([a-z0-9-]+)$/.exec(role);
    const refused = [...roles].filter((r) => {
      const env = ownEnvironment(r);
      return !allows(env ? policy('deployer-policy.json', env[1], env[2]) : deployer, 'sts:AssumeRole', r);
    });
    expect(refused).toEqual([]);
  });

  test('grants nothing else, and never the CloudFormation execution role itself', () => {
    expect(deployer.flatMap((s) => list(s.Action))).toEqual(['sts:AssumeRole']);
    const execRoles = artifacts.map((a) => concrete(a.cloudFormationExecutionRoleArn ?? ''));
    expect(execRoles.every((r) => r.includes('cfn-exec-role'))).toBe(true);
    expect(execRoles.filter((r) => allows(deployer, 'sts:AssumeRole', r))).toEqual([]);
    expect(deployer.flatMap((s) => list(s.Resource)).filter((r) => r.includes('*'))).toEqual([]);
  });
});

describe('docs/iam/cfn-execution-policy.json', () => {
  const exec = policy('cfn-execution-policy.json');
  const prefixOf: Record<string, string> = {
    ApiGateway: 'apigateway',
    CloudWatch: 'cloudwatch',
    DynamoDB: 'dynamodb',
    Events: 'events',
    IAM: 'iam',
    KMS: 'kms',
    Lambda: 'lambda',
    Logs: 'logs',
    SNS: 'sns',
    Route53: 'route53',
  };
  test('covers the services of every resource type the templates create', () => {
    const types = new Set(
      artifacts.flatMap((a) => Object.values(a.template.Resources as Record<string, { Type: string }>).map((r) => r.Type)),
    );
    const services = [...types].map((t) => t.split('::')[1] ?? t);
    const unknown = services.filter((s) => !(s in prefixOf));
    expect(unknown).toEqual([]);
    const granted = new Set(exec.flatMap((s) => list(s.Action)).map((a) => a.split(':')[0]));
    const uncovered = [...new Set(services.map((s) => prefixOf[s] as string))].filter((p) => !granted.has(p));
    expect(uncovered).toEqual([]);
    expect(exec.flatMap((s) => list(s.Action)).filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
  });
});

describe('docs/iam/operator-policy.json', () => {
  const operator = policy('operator-policy.json');
  const arnOf = (stage: string, method: string, routePath: string): string =>
    `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_IDS[stage as keyof typeof API_IDS]}/${stage}/${method}/${routePath.replace(/^\//, '').replace(/\{[^}]+\}/g, 'sample-1')}`;

  test('the synthesized IAM-authorized methods are exactly the operator routes', () => {
    const iamMethods = artifacts.flatMap((a) =>
      Object.values(a.template.Resources as Record<string, { Type: string; Properties?: { AuthorizationType?: string } }>).filter(
        (r) => r.Type === 'AWS::ApiGateway::Method' && r.Properties?.AuthorizationType === 'AWS_IAM',
      ),
    );
    const operatorRoutes = ROUTES.filter((r) => r.auth === 'operator');
    expect(operatorRoutes.length).toBeGreaterThan(0);
    expect(iamMethods.length).toBe(operatorRoutes.length * artifacts.length);
  });

  test.each(STAGES)('reaches every operator route of %s, and no other route', (stage) => {
    const refused = ROUTES.filter((r) => r.auth === 'operator').filter(
      (r) => !allows(operator, 'execute-api:Invoke', arnOf(stage, r.method, r.path)),
    );
    expect(refused.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const reached = ROUTES.filter((r) => r.auth !== 'operator').filter((r) =>
      allows(operator, 'execute-api:Invoke', arnOf(stage, r.method, r.path)),
    );
    expect(reached.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  test("never reaches another stage's or another API's operator routes", () => {
    const route = ROUTES.find((r) => r.auth === 'operator');
    if (!route) throw new Error('no operator route');
    const other = `arn:aws:execute-api:${REGION}:${ACCOUNT}:zzzzzzzzzz/prod/${route.method}/${route.path.replace(/^\//, '')}`;
    const crossed = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_IDS.sandbox}/prod/${route.method}/${route.path.replace(/^\//, '')}`;
    expect(allows(operator, 'execute-api:Invoke', other)).toBe(false);
    expect(allows(operator, 'execute-api:Invoke', crossed)).toBe(false);
  });

  test("reads the tenant's stacks, log groups and table by the names CloudFormation gives them", () => {
    for (const stage of STAGES) {
      const stackName = `${TENANT}-${stage}`;
      expect(
        allows(
          operator,
          'cloudformation:DescribeStacks',
          `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${stackName}/0a1b2c3d-0000-1111-2222-333344445555`,
        ),
      ).toBe(true);
      // Unnamed resources get "<stack name>-<logical id>-<suffix>" from CloudFormation.
      expect(
        allows(operator, 'logs:StartQuery', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${stackName}-StageGatewayApiAccessLogs-AbC123:*`),
      ).toBe(true);
      expect(allows(operator, 'dynamodb:Query', `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${stackName}-StageTable-XyZ789`)).toBe(true);
    }
    expect(allows(operator, 'logs:StartQuery', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:Other-prod-Logs-1`)).toBe(false);
    // Every log group the stacks create is either unnamed (stack-prefixed) or API Gateway's execution log.
    const named = artifacts.flatMap((a) =>
      Object.values(a.template.Resources as Record<string, { Type: string; Properties?: { LogGroupName?: unknown } }>)
        .filter((r) => r.Type === 'AWS::Logs::LogGroup' && r.Properties?.LogGroupName !== undefined)
        .map((r) => JSON.stringify(r.Properties?.LogGroupName)),
    );
    expect(named.filter((n) => !n.includes('API-Gateway-Execution-Logs_'))).toEqual([]);
  });
});
