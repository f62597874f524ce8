import { Template } from 'aws-cdk-lib/assertions';
import { DENIAL_REASONS, METRIC } from '../../lambdas/gateway/metrics-catalog';
import { FUNCTIONS, ROUTES } from '../../lambdas/gateway/routes';
import { SCHEDULED_FUNCTIONS } from '../../lambdas/gateway/scheduled';
import { DEPLOYMENT_TAG } from '../../lambdas/store/apigateway-usage';
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
  (resources(t, 'AWS::Lambda::Function').find(([id]) => id === functionIdByDescription(t, description))?.[1].Properties ?? {}) as Json;
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
      expect({ route: route.path, required }).toEqual({ route: route.path, required: route.auth === 'jwt' || route.auth === 'jwt-or-api-key' });
    }
  });

  test('creates usage plans per client at run time, so the stack holds none, and tells functions the default quota', () => {
    const t = templateOf(name);
    t.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
    const quota = tenants.find((x) => x.name === 'acme')?.stages.sandbox.quota;
    for (const fn of Object.values(FUNCTIONS)) {
      const vars = envOf(t, fn.description);
      expect(JSON.parse(String(vars.DEFAULT_QUOTA))).toEqual(quota);
      expect(vars.USAGE_BACKEND).toBe('apigateway');
    }
    expect(envOf(t, FUNCTIONS.admin.description).REST_API_ID).toEqual({ Ref: onlyResource(t, 'AWS::ApiGateway::RestApi')[0] });
    expect(envOf(t, FUNCTIONS.authorizer.description).REST_API_ID).toBeUndefined();
  });

  test('lets the admin function create and bind keys and plans only with this deployment tag', () => {
    const t = templateOf(name);
    const [apiId] = onlyResource(t, 'AWS::ApiGateway::RestApi');
    const usage = policyStatements(t).filter((s) => JSON.stringify(s.Action).includes('apigateway:'));
    // ReadOwnPlanUsage three times: admin, quota monitor, api (GET /v1/settings/usage).
    expect(usage.map((s) => s.Sid).sort()).toEqual(['BindKeysToOwnPlans', 'CreateTaggedKeysAndPlans', 'ReadOwnPlanUsage',
      'ReadOwnPlanUsage', 'ReadOwnPlanUsage', 'UndoOwnKeysAndPlans']);
    const tagValue = { 'Fn::Join': ['', [{ Ref: apiId }, '/sandbox']] };
    for (const s of usage) {
      expect(JSON.stringify(s.Resource)).not.toBe('"*"');
      const key = s.Sid === 'CreateTaggedKeysAndPlans' ? `aws:RequestTag/${DEPLOYMENT_TAG}` : `aws:ResourceTag/${DEPLOYMENT_TAG}`;
      expect((s.Condition?.StringEquals as Json)[key]).toEqual(tagValue);
    }
    const create = usage.find((s) => s.Sid === 'CreateTaggedKeysAndPlans');
    expect(create?.Action).toBe('apigateway:POST');
    expect(JSON.stringify(create?.Resource)).toContain('::/apikeys');
    expect(JSON.stringify(create?.Resource)).toContain('::/usageplans');
  });

  test('runs the quota monitor every 15 minutes, reading the table and plan usage', () => {
    const t = templateOf(name);
    const monitorId = functionIdByDescription(t, SCHEDULED_FUNCTIONS.quotaMonitor.description);
    const [, rule] = onlyResource(t, 'AWS::Events::Rule');
    expect(rule.Properties?.ScheduleExpression).toBe('rate(15 minutes)');
    expect(JSON.stringify(rule.Properties?.Targets)).toContain(monitorId);
    expect(envOf(t, SCHEDULED_FUNCTIONS.quotaMonitor.description).REST_API_ID).toBeDefined();
  });
});

describe.each(['Acme-sandbox', 'Globex-prod'])('monitoring (%s)', (name) => {
  const tenant = tenants.find((x) => name.toLowerCase().startsWith(x.name)) ;

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
    const body = JSON.parse(String((dash.Properties?.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : 'X')).join('')));
    const widget = (body.widgets as { properties: { title?: string; metrics?: unknown[][] } }[]).find((w) => w.properties.title === WIDGET.apiKeys);
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

  test('alarms on quota over 80 %, the 5xx rate and invalid_signature spikes, notifying the tenant topic', () => {
    const t = templateOf(name);
    const alarms = resources(t, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});
    expect(alarms).toHaveLength(3);
    const [topicId] = onlyResource(t, 'AWS::SNS::Topic');
    for (const a of alarms) {
      expect(a.AlarmName).toBeUndefined();
      expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
    }
    expect(alarms.find((a) => a.MetricName === METRIC.maxQuotaUtilization)).toMatchObject({ Threshold: 80, ComparisonOperator: 'GreaterThanThreshold' });
    const signature = alarms.find((a) => a.MetricName === METRIC.authorizations);
    expect(signature?.Dimensions).toEqual(expect.arrayContaining([{ Name: 'Reason', Value: 'invalid_signature' }, { Name: 'Outcome', Value: 'deny' }]));
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
