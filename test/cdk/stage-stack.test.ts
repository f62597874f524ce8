import { readFileSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GATEWAY_RESPONSES, type GatewayResponseType } from '../../lambdas/gateway/gateway-responses';
import { FUNCTIONS, ROUTES } from '../../lambdas/gateway/routes';
import { SCHEDULED_FUNCTIONS } from '../../lambdas/gateway/scheduled';
import { STAGES } from '../../lambdas/gateway/settings';
import { ACCESS_LOG_FIELDS } from '../../lib/stage-api';
import type { StageStack } from '../../lib/stage-stack';
import { DEFAULT_TENANTS_FILE, loadTenants, parseTenants, stackNameFor } from '../../lib/tenant-config';
import {
  actionsOfRole,
  functionIdByDescription,
  methodsByRoute,
  onlyResource,
  resources,
  statementsOfRole,
  synthTenants,
} from './template-helpers';

const tenants = loadTenants();
let stacks: StageStack[];
const templates = new Map<string, Template>();

beforeAll(() => {
  stacks = synthTenants(tenants);
  for (const s of stacks) templates.set(s.stackName, Template.fromStack(s));
});

const templateOf = (name: string): Template => {
  const t = templates.get(name);
  if (!t) throw new Error(`no stack ${name}`);
  return t;
};

test('makes a sandbox and a prod stack for every tenant in tenants.json', () => {
  // From the file itself, so adding a tenant there keeps this test green.
  const names = (JSON.parse(readFileSync(DEFAULT_TENANTS_FILE, 'utf8')) as { name: string }[]).map((t) => t.name);
  const expected = names.flatMap((n) => STAGES.map((stage) => stackNameFor(n, stage)));
  expect(expected.length).toBeGreaterThan(0);
  expect(stacks.map((s) => s.stackName).sort()).toEqual(expected.sort());
});

// cfn-lint (run by .ci/run on cdk.out) found both: Dashboard Tags are E3002 in us-east-1, and
// DynamoDB refuses '@' in tag values (TaggingRestrictions.html in the DynamoDB developer guide).
test('stack tags stay off the dashboard, and the e-mail contact tag off the table', () => {
  const DYNAMODB_TAG_VALUE = /^[\p{L}\p{N}\s+\-=._:/]*$/u;
  for (const t of templates.values()) {
    const all = t.toJSON().Resources as Record<string, { Type: string; Properties?: { Tags?: { Key: string; Value: unknown }[] } }>;
    const dashboards = Object.values(all).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    for (const d of dashboards) expect(d.Properties?.Tags).toBeUndefined();
    const tables = Object.values(all).filter((r) => r.Type === 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    for (const table of tables) {
      const tags = table.Properties?.Tags ?? [];
      expect(tags.map((tag) => tag.Key).sort()).toEqual(['workoutkit:stage', 'workoutkit:tenant']);
      for (const tag of tags) expect(String(tag.Value)).toMatch(DYNAMODB_TAG_VALUE);
    }
    // Everything else keeps the owner's address.
    const fn = Object.values(all).find((r) => r.Type === 'AWS::Lambda::Function');
    expect(fn?.Properties?.Tags).toEqual(expect.arrayContaining([expect.objectContaining({ Key: 'workoutkit:contact' })]));
  }
});

describe.each(STAGES)('Acme-%s', (stage) => {
  const name = `Acme-${stage}`;
  const prod = stage === 'prod';

  test('names the API Gateway stage after the stage, with tracing, metrics and JSON access logs', () => {
    const t = templateOf(name);
    const [, s] = onlyResource(t, 'AWS::ApiGateway::Stage');
    expect(s.Properties).toMatchObject({ StageName: stage, TracingEnabled: true });
    expect(s.Properties?.MethodSettings).toEqual([expect.objectContaining({ MetricsEnabled: true, DataTraceEnabled: false })]);
    const format = JSON.parse(String((s.Properties?.AccessLogSetting as { Format: string }).Format)) as Record<string, string>;
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    for (const v of [
      '$context.requestId',
      '$context.identity.sourceIp',
      '$context.httpMethod',
      '$context.resourcePath',
      '$context.status',
      '$context.responseLatency',
      '$context.authorizer.clientName',
      '$context.authorizer.error',
      '$context.identity.apiKeyId',
    ]) {
      expect(Object.values(format)).toContain(v);
    }
  });

  test('wires jwt routes to the cached REQUEST authorizer, public reads to the uncached one, operator routes to IAM, public routes to none', () => {
    const t = templateOf(name);
    const authorizers = resources(t, 'AWS::ApiGateway::Authorizer');
    expect(authorizers).toHaveLength(2);
    const jwtId = authorizers.find(([, a]) => a.Properties?.IdentitySource === 'method.request.header.Authorization')?.[0];
    const publicReadId = authorizers.find(([, a]) => a.Properties?.AuthorizerResultTtlInSeconds === 0)?.[0];
    expect(jwtId).toBeDefined();
    expect(publicReadId).toBeDefined();
    const methods = methodsByRoute(t);
    expect(methods.size).toBe(ROUTES.length);
    for (const route of ROUTES) {
      const m = methods.get(`${route.method} ${route.path}`);
      expect(m).toBeDefined();
      const expected = { jwt: 'CUSTOM', 'jwt-or-api-key': 'CUSTOM', operator: 'AWS_IAM', none: 'NONE' }[route.auth];
      expect({ route: route.path, auth: m?.AuthorizationType }).toEqual({ route: route.path, auth: expected });
      if (route.auth === 'jwt') expect(m?.AuthorizerId).toEqual({ Ref: jwtId });
      else if (route.auth === 'jwt-or-api-key') expect(m?.AuthorizerId).toEqual({ Ref: publicReadId });
      else expect(m?.AuthorizerId).toBeUndefined();
    }
  });

  test('gives the public-read authorizer no identity source and no cache, so a request with only x-api-key reaches it', () => {
    const [, publicRead] = resources(templateOf(name), 'AWS::ApiGateway::Authorizer').find(
      ([, a]) => a.Properties?.AuthorizerResultTtlInSeconds === 0,
    ) ?? ['', {}];
    expect(publicRead.Properties).toMatchObject({ Type: 'REQUEST' });
    expect(publicRead.Properties).not.toHaveProperty('IdentitySource');
  });

  test('proxies each route to the function FUNCTIONS names for it', () => {
    const t = templateOf(name);
    const methods = methodsByRoute(t);
    for (const route of ROUTES) {
      const fnId = functionIdByDescription(t, FUNCTIONS[route.function].description);
      const integration = methods.get(`${route.method} ${route.path}`)?.Integration as { Type: string; Uri: unknown };
      expect(integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(integration.Uri)).toContain(`"${fnId}"`);
    }
  });

  test('keys the authorizer cache on the Authorization header with the tenant TTL', () => {
    templateOf(name).hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 60,
    });
  });

  test('creates a pk/sk table, on demand, encrypted, with PITR and the expiresAt TTL attribute', () => {
    templateOf(name).hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: Match.absent(),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  test(prod ? 'retains the table and key when the stack is deleted' : 'destroys the table and key with the stack', () => {
    const policy = prod ? 'Retain' : 'Delete';
    for (const type of ['AWS::DynamoDB::Table', 'AWS::KMS::Key']) {
      const [, r] = onlyResource(templateOf(name), type);
      expect({ type, DeletionPolicy: r.DeletionPolicy, UpdateReplacePolicy: r.UpdateReplacePolicy }).toEqual({
        type,
        DeletionPolicy: policy,
        UpdateReplacePolicy: policy,
      });
    }
  });

  test('rotates the envelope key', () => {
    templateOf(name).hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('runs every function on Node.js 22, arm64, with the RuntimeEnv variables and no fixed name', () => {
    const t = templateOf(name);
    t.resourceCountIs('AWS::Lambda::Function', Object.keys(FUNCTIONS).length + Object.keys(SCHEDULED_FUNCTIONS).length);
    for (const [, fn] of resources(t, 'AWS::Lambda::Function')) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      expect(fn.Properties?.FunctionName).toBeUndefined();
      const vars = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      // REST_API_ID only where usage plans are managed or read (admin, quota monitor).
      expect(
        Object.keys(vars)
          .filter((k) => k !== 'REST_API_ID')
          .sort(),
      ).toEqual([
        'API_KEY_BACKEND',
        'AUTHORIZER_CACHE_TTL',
        'ISSUER',
        'KEYRING',
        'KMS_KEY_ID',
        'POWERTOOLS_SERVICE_NAME',
        'QUOTA_CONFIG',
        'STAGE',
        'TABLE_NAME',
        'TENANT',
      ]);
      expect(vars).toMatchObject({ TENANT: 'acme', STAGE: stage, KEYRING: 'kms', AUTHORIZER_CACHE_TTL: '60' });
    }
  });

  test(`keeps every log group ${prod ? '365' : '30'} days`, () => {
    const groups = resources(templateOf(name), 'AWS::Logs::LogGroup');
    // + access logs + execution logs
    expect(groups).toHaveLength(Object.keys(FUNCTIONS).length + Object.keys(SCHEDULED_FUNCTIONS).length + 2);
    for (const [, g] of groups) expect(g.Properties?.RetentionInDays).toBe(prod ? 365 : 30);
  });

  test('gives the authorizer read-only table access (but for its AUTHLOG# items) and only kms:Decrypt', () => {
    const t = templateOf(name);
    const fnId = functionIdByDescription(t, FUNCTIONS.authorizer.description);
    const roleRef = (
      resources(t, 'AWS::Lambda::Function').find(([id]) => id === fnId)?.[1].Properties?.Role as {
        'Fn::GetAtt': [string, string];
      }
    )['Fn::GetAtt'][0];
    const actions = actionsOfRole(t, roleRef);
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions.filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual(['dynamodb:PutItem']);
    expect(actions.filter((a) => a.startsWith('kms:'))).toEqual(['kms:Decrypt']);
    // The one write is fenced to the auth-failure log's partitions.
    const put = resources(t, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties?.Roles).includes(roleRef))
      .flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: { Action: unknown; Condition?: unknown }[] }).Statement)
      .filter((st) => st.Action === 'dynamodb:PutItem');
    expect(put).toEqual([expect.objectContaining({ Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUTHLOG#*'] } } })]);
  });

  test('lets only the session function read or write launch-token items: every other role denies them, and Scan', () => {
    const t = templateOf(name);
    const roleOf = (description: string) =>
      (
        resources(t, 'AWS::Lambda::Function').find(([id]) => id === functionIdByDescription(t, description))?.[1].Properties?.Role as {
          'Fn::GetAtt': [string, string];
        }
      )['Fn::GetAtt'][0];
    const specs = { ...FUNCTIONS, ...SCHEDULED_FUNCTIONS };
    for (const [fn, spec] of Object.entries(specs)) {
      const role = roleOf(spec.description);
      const denies = statementsOfRole(t, role).filter((s) => s.Effect === 'Deny');
      if (fn === 'session') {
        expect({ fn, denies }).toEqual({ fn, denies: [] });
        expect(actionsOfRole(t, role)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem']));
        continue;
      }
      expect({ fn, denies }).toEqual({
        fn,
        denies: [
          expect.objectContaining({
            Action: expect.arrayContaining([
              'dynamodb:GetItem',
              'dynamodb:BatchGetItem',
              'dynamodb:Query',
              'dynamodb:PutItem',
              'dynamodb:UpdateItem',
              'dynamodb:DeleteItem',
              'dynamodb:BatchWriteItem',
              'dynamodb:ConditionCheckItem',
            ]),
            Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['LAUNCH#*'] } },
          }),
          expect.objectContaining({ Action: 'dynamodb:Scan' }),
        ],
      });
    }
  });

  test('never grants kms:Encrypt or key administration to a function', () => {
    const all = resources(templateOf(name), 'AWS::IAM::Policy').flatMap(([, p]) =>
      (p.Properties?.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap((s) => s.Action),
    );
    expect(all.filter((a) => a.startsWith('kms:')).sort()).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']));
    expect(all.filter((a) => a.startsWith('kms:') && !['kms:Decrypt', 'kms:GenerateDataKey'].includes(a))).toEqual([]);
  });

  test("answers API Gateway's own refusals with the contract's statuses and JSON bodies", () => {
    const t = templateOf(name);
    const types = Object.keys(GATEWAY_RESPONSES) as GatewayResponseType[];
    t.resourceCountIs('AWS::ApiGateway::GatewayResponse', types.length);
    for (const type of types) {
      const g = GATEWAY_RESPONSES[type];
      t.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        StatusCode: String(g.status),
        ResponseTemplates: { 'application/json': g.body },
        ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Content-Type': "'application/json'" }),
      });
    }
    t.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'ACCESS_DENIED',
      StatusCode: '401',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.WWW-Authenticate': Match.stringLikeRegexp("^'Bearer error=") }),
    });
  });

  test('gives every Gateway Response body both error shapes, REST and GraphQL, with one code and text', () => {
    // Gateway Responses apply to the whole REST API, POST /graphql included.
    const found = resources(templateOf(name), 'AWS::ApiGateway::GatewayResponse');
    expect(found.length).toBeGreaterThan(0);
    for (const [, r] of found) {
      const text = (r.Properties?.ResponseTemplates as Record<string, string>)['application/json'] as string;
      const body = JSON.parse(text) as { error: string; error_description: string; errors: unknown };
      expect(typeof body.error).toBe('string');
      expect(body.errors).toEqual([{ message: body.error_description, extensions: { code: body.error } }]);
    }
  });

  test('applies the tenant stage throttle to every method', () => {
    const q = tenants[0]?.stages[stage].throttle;
    const [, s] = onlyResource(templateOf(name), 'AWS::ApiGateway::Stage');
    expect(s.Properties?.MethodSettings).toEqual([
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: q?.rateLimit,
        ThrottlingBurstLimit: q?.burstLimit,
      }),
    ]);
  });

  test('outputs the stage URL, table name and key id', () => {
    const outputs = Object.keys(templateOf(name).toJSON().Outputs as object);
    for (const o of ['ApiUrl', 'TableName', 'SecretsKeyId']) expect(outputs).toContain(o);
  });
});

test('uses the per-tenant authorizer cache TTL', () => {
  const [tenant] = parseTenants([{ ...JSON.parse(JSON.stringify(tenants[0])), name: 'initech', authorizerCacheTtlSeconds: 120 }]);
  const [sandbox] = synthTenants([tenant!]);
  const t = Template.fromStack(sandbox!);
  t.hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 120 });
  t.hasResourceProperties('AWS::Lambda::Function', {
    Environment: { Variables: Match.objectLike({ TENANT: 'initech', AUTHORIZER_CACHE_TTL: '120' }) },
  });
});

test('rolls a new API deployment when the authorizer cache TTL changes', () => {
  const deploymentIdFor = (ttl: number): string => {
    const [tenant] = parseTenants([{ ...JSON.parse(JSON.stringify(tenants[0])), authorizerCacheTtlSeconds: ttl }]);
    const [sandbox] = synthTenants([tenant!]);
    return onlyResource(Template.fromStack(sandbox!), 'AWS::ApiGateway::Deployment')[0];
  };
  expect(deploymentIdFor(30)).not.toBe(deploymentIdFor(90));
});
