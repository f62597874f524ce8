import { Template } from 'aws-cdk-lib/assertions';
import { DENIAL_REASONS, METRIC } from '../../lambdas/gateway/metrics-catalog';
import { FUNCTIONS, ROUTES } from '../../lambdas/gateway/routes';
import { SCHEDULED_FUNCTIONS } from '../../lambdas/gateway/scheduled';
import { DEPLOYMENT_TAG, TIER_TAG } from '../../lambdas/store/api-key-provisioner';
import { WIDGET } from '../../lib/stage-monitoring';
import { loadTenants } from '../../lib/tenant-config';
import { functionIdByDescription, methodsByRoute, onlyResource, resources, synthTenants, type Json } from './template-helpers';

const tenants = loadTenants();
const templates = new Map<string, Template>();
beforeAll(() => {
  for (const s of synthTenants(tenants)) templates.set(s.stackName, Template.fromStack(s));
});
const templateOf = (name: string): Template => templates.get(name) as Template;
const fnProps = (t: Template, description: string): Json =>
  resources(t, 'AWS::Lambda::Function').find(([id]) => id === functionIdByDescription(t, description))?.[1].Properties ?? {};
const envOf = (t: Template, description: string): Record<string, unknown> =>
  (fnProps(t, description).Environment as { Variables: Record<string, unknown> }).Variables;
const policyStatements = (t: Template): { Sid?: string; Action: unknown; Resource: unknown; Condition?: Json }[] =>
  resources(t, 'AWS::IAM::Policy').flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: never[] }).Statement);

describe('usage plans (Acme-sandbox)', () => {
  const name = 'Acme-sandbox';

  test('takes API keys from the authorizer and requires one on every jwt and public-read method only', () => {
    const t = templateOf(name);
    expect(onlyResource(t, 'AWS::ApiGateway::RestApi')[1].Properties?.ApiKeySourceType).toBe('AUTHORIZER');
    const methods = methodsByRoute(t);
    for (const route of ROUTES) {
      const required = methods.get(`${route.method} ${route.path}`)?.ApiKeyRequired === true;
      // Public reads (jwt-or-api-key) are metered too: by the JWT's client key or the x-api-key.
      expect({ route: route.path, required }).toEqual({
        route: route.path,
        required: route.auth === 'jwt' || route.auth === 'jwt-or-api-key',
      });
    }
  });

  test('tells every function the stage quota config (tiers, deployment quota, stage throttle) and where keys are registered', () => {
    const t = templateOf(name);
    const stage = tenants.find((x) => x.name === 'acme')?.stages.sandbox;
    for (const fn of Object.values(FUNCTIONS)) {
      const vars = envOf(t, fn.description);
      expect(JSON.parse(String(vars.QUOTA_CONFIG))).toEqual({
        tiers: stage?.tiers,
        deployment: stage?.quota,
        stageRateLimit: stage?.throttle?.rateLimit,
      });
      expect(vars.API_KEY_BACKEND).toBe('apigateway');
      expect(vars.DEFAULT_QUOTA).toBeUndefined();
    }
    expect(envOf(t, FUNCTIONS.admin.description).REST_API_ID).toEqual({ Ref: onlyResource(t, 'AWS::ApiGateway::RestApi')[0] });
    expect(envOf(t, FUNCTIONS.authorizer.description).REST_API_ID).toBeUndefined();
  });

  test("lets the admin function create tagged keys and attach, move and delete them on this stage's plans only; no GetUsage, no CreateUsagePlan", () => {
    const t = templateOf(name);
    const [apiId] = onlyResource(t, 'AWS::ApiGateway::RestApi');
    const planIds = resources(t, 'AWS::ApiGateway::UsagePlan').map(([id]) => id);
    const usage = policyStatements(t).filter((s) => JSON.stringify(s.Action).includes('apigateway:'));
    expect(usage.map((s) => s.Sid).sort()).toEqual([
      'AttachKeysToStagePlans',
      'CreateTaggedKeys',
      'DeleteOwnKeys',
      'DetachKeysFromStagePlans',
      'FindStagePlans',
    ]);
    const tagValue = { 'Fn::Join': ['', [{ Ref: apiId }, '/sandbox']] };
    const bySid = new Map(usage.map((s) => [s.Sid, s]));
    expect(bySid.get('CreateTaggedKeys')).toMatchObject({
      Action: 'apigateway:POST',
      Condition: { StringEquals: { [`aws:RequestTag/${DEPLOYMENT_TAG}`]: tagValue } },
    });
    expect(JSON.stringify(bySid.get('CreateTaggedKeys')?.Resource)).toMatch(/::\/apikeys"/);
    expect(bySid.get('DeleteOwnKeys')).toMatchObject({
      Action: 'apigateway:DELETE',
      Condition: { StringEquals: { [`aws:ResourceTag/${DEPLOYMENT_TAG}`]: tagValue } },
    });
    // Attach and detach: exactly this stage's tier plans, by their ids.
    for (const sid of ['AttachKeysToStagePlans', 'DetachKeysFromStagePlans']) {
      const resource = JSON.stringify(bySid.get(sid)?.Resource);
      for (const id of planIds) expect(resource).toContain(`{"Ref":"${id}"}`);
      expect((resource.match(/usageplans\//g) ?? []).length).toBe(planIds.length);
    }
    expect(bySid.get('FindStagePlans')).toMatchObject({ Action: 'apigateway:GET' });
    expect(JSON.stringify(bySid.get('FindStagePlans')?.Resource)).toMatch(/::\/usageplans"\]/);
    // No right is left that reads usage (GetUsage: GET /usageplans/{id}/usage) or creates plans at run time.
    const all = JSON.stringify(usage);
    expect(all).not.toContain('/usage"');
    expect(all).not.toContain('/usageplans/*/usage');
    for (const s of usage.filter((x) => x.Action === 'apigateway:POST')) expect(JSON.stringify(s.Resource)).not.toMatch(/::\/usageplans"/);
  });

  test('runs the quota monitor every 15 minutes, reading only the table', () => {
    const t = templateOf(name);
    const monitorId = functionIdByDescription(t, SCHEDULED_FUNCTIONS.quotaMonitor.description);
    const [, rule] = onlyResource(t, 'AWS::Events::Rule');
    expect(rule.Properties?.ScheduleExpression).toBe('rate(15 minutes)');
    expect(JSON.stringify(rule.Properties?.Targets)).toContain(monitorId);
    expect(envOf(t, SCHEDULED_FUNCTIONS.quotaMonitor.description).REST_API_ID).toBeUndefined();
  });

  test('gives the table a client index for the monitor to query (no scan)', () => {
    const t = templateOf(name);
    const [, table] = onlyResource(t, 'AWS::DynamoDB::Table');
    expect(table.Properties?.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({
        IndexName: 'clients',
        KeySchema: [
          { AttributeName: 'type', KeyType: 'HASH' },
          { AttributeName: 'clientName', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['quota', 'tier', 'createdAt', 'disabled'] },
      }),
    ]);
  });
});

describe.each(['Acme-sandbox', 'Acme-prod', 'Globex-sandbox', 'Globex-prod'])('tier usage plans (%s)', (name) => {
  test('one usage plan per tier of the stage, throttle only (no quota), bound to this stage, tagged with its tier', () => {
    const t = templateOf(name);
    const [tenantName, stage] = name.toLowerCase().split('-') as [string, 'sandbox' | 'prod'];
    const tiers = tenants.find((x) => x.name === tenantName)?.stages[stage].tiers ?? {};
    const [apiId] = onlyResource(t, 'AWS::ApiGateway::RestApi');
    const [stageId] = onlyResource(t, 'AWS::ApiGateway::Stage');
    const plans = resources(t, 'AWS::ApiGateway::UsagePlan').map(([, p]) => p.Properties ?? {});
    expect(plans).toHaveLength(Object.keys(tiers).length);
    expect(Object.keys(tiers)).toContain('default');
    for (const plan of plans) {
      const tags = plan.Tags as { Key: string; Value: unknown }[];
      const tier = tags.find((x) => x.Key === TIER_TAG)?.Value as string;
      expect(plan.Throttle).toEqual({ RateLimit: tiers[tier]?.rateLimit, BurstLimit: tiers[tier]?.burstLimit });
      expect(plan.Quota).toBeUndefined();
      // CDK writes an empty per-method throttle map beside the binding: the plan's throttle applies to every method.
      expect(plan.ApiStages).toEqual([{ ApiId: { Ref: apiId }, Stage: { Ref: stageId }, Throttle: {} }]);
      expect(tags).toContainEqual({ Key: DEPLOYMENT_TAG, Value: { 'Fn::Join': ['', [{ Ref: apiId }, `/${stage}`]] } });
    }
  });
});

describe.each(['Acme-sandbox', 'Globex-prod'])('monitoring (%s)', (name) => {
  const tenant = tenants.find((x) => name.toLowerCase().startsWith(x.name));

  test('has one unnamed dashboard with the traffic, authorizer, quota and token widgets', () => {
    const t = templateOf(name);
    const [, dash] = onlyResource(t, 'AWS::CloudWatch::Dashboard');
    expect(dash.Properties?.DashboardName).toBeUndefined();
    const body = JSON.stringify(dash.Properties?.DashboardBody);
    for (const title of Object.values(WIDGET)) expect(body).toContain(title);
    for (const reason of DENIAL_REASONS) expect(body).toContain(reason);
    for (const m of ['Latency', '4XXError', '5XXError', 'Count', METRIC.quotaUsed, METRIC.quotaLimit, METRIC.tokensIssued]) {
      expect(body).toContain(m);
    }
    expect(body).toContain('p50');
    expect(body).toContain('p99');
  });

  test('graphs API-key authorizations allowed and refused, on the TokenKind+Outcome set the authorizer emits', () => {
    const t = templateOf(name);
    const [, dash] = onlyResource(t, 'AWS::CloudWatch::Dashboard');
    const body = JSON.parse(
      String(
        (dash.Properties?.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
          .map((p) => (typeof p === 'string' ? p : 'X'))
          .join(''),
      ),
    );
    const widget = (body.widgets as { properties: { title?: string; metrics?: unknown[][] } }[]).find(
      (w) => w.properties.title === WIDGET.apiKeys,
    );
    // [namespace, name, dim, value, ..., {options}]: the dimensions must be exactly the set the authorizer emits.
    const series = (widget?.properties.metrics ?? []).map((m) => {
      const dims: Record<string, unknown> = {};
      for (let i = 2; i + 1 < m.length; i += 2) dims[String(m[i])] = m[i + 1];
      return { metric: m[1], dims, label: (m[m.length - 1] as { label?: string }).label };
    });
    const own = { Tenant: tenant?.name, Stage: name.split('-')[1], service: 'workoutkit-gateway' };
    expect(series).toEqual([
      { metric: METRIC.authorizations, dims: { ...own, TokenKind: 'api-key', Outcome: 'allow' }, label: 'allowed' },
      { metric: METRIC.authorizations, dims: { ...own, TokenKind: 'api-key', Outcome: 'deny' }, label: 'refused' },
    ]);
  });

  test("alarms on client and deployment quota over 80 %, the quota monitor's health and read failures, Lambda errors of every function, the 5xx rate and invalid_signature spikes", () => {
    const t = templateOf(name);
    const alarms = resources(t, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});
    const functionCount = Object.keys(FUNCTIONS).length + Object.keys(SCHEDULED_FUNCTIONS).length;
    expect(alarms).toHaveLength(6 + functionCount);
    const [topicId] = onlyResource(t, 'AWS::SNS::Topic');
    for (const a of alarms) {
      expect(a.AlarmName).toBeUndefined();
      expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
    }
    expect(alarms.find((a) => a.MetricName === METRIC.maxQuotaUtilization)).toMatchObject({
      Threshold: 80,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarms.find((a) => a.MetricName === METRIC.deploymentQuotaUtilization)).toMatchObject({
      Threshold: 80,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    // Missing data from the monitor is never "fine": its health alarm breaches on silence.
    expect(alarms.find((a) => a.MetricName === METRIC.quotaMonitorSucceeded)).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Period: 900,
      EvaluationPeriods: 2,
    });
    expect(alarms.find((a) => a.MetricName === METRIC.quotaReadFailures)).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    // One Errors alarm per function, the quota monitor's included.
    const errorAlarms = alarms.filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === 'Errors');
    const fnIds = resources(t, 'AWS::Lambda::Function')
      .filter(([, f]) => !JSON.stringify(f.Properties?.Description ?? '').includes('LogRetention'))
      .map(([id]) => id);
    expect(errorAlarms).toHaveLength(functionCount);
    for (const a of errorAlarms) expect(fnIds).toContain((a.Dimensions as { Value: { Ref: string } }[])[0]?.Value.Ref);
    const signature = alarms.find((a) => a.MetricName === METRIC.authorizations);
    expect(signature?.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'Reason', Value: 'invalid_signature' },
        { Name: 'Outcome', Value: 'deny' },
      ]),
    );
    const rate = alarms.find((a) => Array.isArray(a.Metrics));
    expect(JSON.stringify(rate?.Metrics)).toContain('5XXError');
  });

  test("subscribes the tenant's alarm e-mails to an unnamed topic", () => {
    const t = templateOf(name);
    const [, topic] = onlyResource(t, 'AWS::SNS::Topic');
    expect(topic.Properties?.TopicName).toBeUndefined();
    const subs = resources(t, 'AWS::SNS::Subscription').map(([, s]) => s.Properties ?? {});
    expect(subs.map((s) => s.Endpoint).sort()).toEqual([...(tenant?.alarmEmails ?? [])].sort());
    for (const s of subs) expect(s.Protocol).toBe('email');
  });
});
