/**
 * cdk-nag AwsSolutions on one tenant's two stacks. cdk-nag v3 is a policy validation plugin
 * (not an Aspect): findings are violations in the plugin's report, not Annotations, and any
 * unacknowledged one, warning or error, fails the synth (bin/app.ts registers it the same way).
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { STAGES } from '../../lambdas/gateway/settings';
import type { StageStack } from '../../lib/stage-stack';
import { loadTenants } from '../../lib/tenant-config';
import { addTenantStacks } from '../../lib/tenant-stacks';
import { onlyResource, resources } from './template-helpers';

const [acme] = loadTenants();
let app: App;
let stacks: StageStack[];

beforeAll(() => {
  // Bundling skipped as in template-helpers.ts synthTenants; the plugin registered as in bin/app.ts.
  app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  stacks = addTenantStacks(app, [acme!]);
  app.synth(); // throws ValidationFailed on any unacknowledged finding
});

const templateOf = (stage: string): Template => {
  const s = stacks.find((x) => x.stackName === `Acme-${stage}`);
  if (!s) throw new Error(`no Acme-${stage}`);
  return Template.fromStack(s);
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function statements(t: Template): Statement[] {
  return resources(t, 'AWS::IAM::Policy').flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

test('synthesizes both Acme stacks with the AwsSolutions pack registered on the app', () => {
  expect(stacks.map((s) => s.stackName).sort()).toEqual(['Acme-prod', 'Acme-sandbox']);
});

test.each(STAGES)('Acme-%s has no unacknowledged AwsSolutions error or warning', (stage) => {
  const stack = stacks.find((s) => s.stackName === `Acme-${stage}`) as Stack;
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  expect(
    report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
  ).toEqual([]);
});

test('an unacknowledged finding fails the synth (the check is not vacuous)', () => {
  const bad = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  Validations.of(bad).addPlugins(new AwsSolutionsChecks(bad));
  new sns.Topic(new Stack(bad, 'Bad'), 'PlainTopic');
  expect(() => bad.synth()).toThrow(/AwsSolutions-SNS3/);
});

describe.each(STAGES)('Acme-%s acknowledgments stay true', (stage) => {
  test('the only Resource "*" grants are X-Ray trace writes (AwsSolutions-IAM5[Resource::*])', () => {
    const star = statements(templateOf(stage)).filter((s) => list(s.Resource).includes('*'));
    expect(star.length).toBeGreaterThan(0);
    for (const s of star) expect(list(s.Action).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  test("every wildcard API-key ARN is fenced by the deployment tag, and usage-plan ARNs name this stage's plans", () => {
    const t = templateOf(stage);
    const wildcard = statements(t).filter((s) => /::\/apikeys\/\*/.test(JSON.stringify(s.Resource)));
    expect(wildcard.length).toBeGreaterThan(0);
    for (const s of wildcard) {
      expect(s.Effect).toBe('Allow');
      expect(Object.keys(s.Condition?.StringEquals ?? {})).toEqual(['aws:ResourceTag/workoutkit:deployment']);
    }
    const planIds = resources(t, 'AWS::ApiGateway::UsagePlan').map(([id]) => id);
    const planArns = statements(t).filter((s) => JSON.stringify(s.Resource).includes('/usageplans/'));
    expect(planArns.length).toBeGreaterThan(0);
    for (const s of planArns) {
      expect(JSON.stringify(s.Resource)).not.toContain('/usageplans/*');
      for (const id of planIds) expect(JSON.stringify(s.Resource)).toContain(`{"Ref":"${id}"}`);
    }
  });
});

describe.each(STAGES)('Acme-%s findings fixed in lib/', (stage) => {
  test("the alarm topic refuses non-TLS publishes and lets only this account's CloudWatch alarms publish", () => {
    const t = templateOf(stage);
    const [, policy] = onlyResource(t, 'AWS::SNS::TopicPolicy');
    const parsed = policy.Properties?.PolicyDocument as { Statement: (Statement & { Principal: unknown })[] };
    const deny = parsed.Statement.find((s) => s.Effect === 'Deny');
    expect(deny).toMatchObject({ Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const allow = parsed.Statement.filter((s) => s.Effect === 'Allow');
    expect(allow).toHaveLength(1);
    expect(allow[0]).toMatchObject({ Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } });
    expect(Object.keys(allow[0]?.Condition ?? {}).sort()).toEqual(['ArnLike', 'StringEquals']);
  });

  test('the stage has ERROR-level execution logs (no data trace) into a stack-owned group with retention', () => {
    const t = templateOf(stage);
    const [, s] = onlyResource(t, 'AWS::ApiGateway::Stage');
    expect(s.Properties?.MethodSettings).toEqual([
      expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR', DataTraceEnabled: false }),
    ]);
    const execution = resources(t, 'AWS::Logs::LogGroup').filter(([, g]) =>
      JSON.stringify(g.Properties?.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_'),
    );
    expect(execution).toHaveLength(1);
    const [groupId, group] = execution[0]!;
    expect(group.Properties?.RetentionInDays).toBe(stage === 'prod' ? 365 : 30);
    // Created before the stage, so API Gateway never makes it first (without retention).
    expect((s as { DependsOn?: string[] }).DependsOn).toContain(groupId);
  });
});
