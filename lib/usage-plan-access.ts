/**
 * The stage's throttle tiers as API Gateway usage plans, and the IAM the admin function needs to
 * manage client API keys on them. One AWS::ApiGateway::UsagePlan per tier, owned by the stack
 * (so `cdk destroy` removes it), throttle only — quota is counted by the project, because usage
 * plan quotas "are not hard limits, and are applied on a best-effort basis" — bound to the stage.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-usageplan.html
 *
 * The admin function creates each client's key (tagged with this deployment), attaches it to its
 * tier's plan, moves it between this stage's plans and deletes it. Key ids are made at run time,
 * so key ARNs carry `*`, fenced by the deployment tag; plan ARNs are this stage's plans exactly.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-tagging-iam-policy.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
 */
import { type CfnElement, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DEPLOYMENT_TAG, deploymentTagValue, TIER_TAG } from '../lambdas/store/api-key-provisioner';
import type { Throttle } from './tenant-config';

function arn(scope: Construct, path: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:apigateway:${stack.region}::${path}`;
}

/** One usage plan per tier, bound to the API's deployed stage, tagged so the admin function finds it. */
export function tierUsagePlans(
  scope: Construct,
  api: apigw.RestApi,
  stage: string,
  tiers: Readonly<Record<string, Throttle>>,
): Map<string, apigw.UsagePlan> {
  const plans = new Map<string, apigw.UsagePlan>();
  for (const [tier, t] of Object.entries(tiers)) {
    const plan = new apigw.UsagePlan(scope, `TierPlan-${tier}`, {
      description: `Throttle tier ${tier} (quota is counted by the gateway itself)`,
      throttle: { rateLimit: t.rateLimit, burstLimit: t.burstLimit },
      apiStages: [{ api, stage: api.deploymentStage }],
    });
    Tags.of(plan).add(DEPLOYMENT_TAG, deploymentTagValue(api.restApiId, stage));
    Tags.of(plan).add(TIER_TAG, tier);
    plans.set(tier, plan);
  }
  return plans;
}

/**
 * CreateApiKey (tagged), CreateUsagePlanKey / DeleteUsagePlanKey on this stage's plans only,
 * DeleteApiKey on this deployment's keys only, and GetUsagePlans (to find the plans by tag:
 * a list, which IAM cannot narrow). Nothing else: no CreateUsagePlan, no GetUsage.
 */
export function apiKeyAdminStatements(
  scope: Construct,
  restApiId: string,
  stage: string,
  plans: readonly apigw.IUsagePlan[],
): iam.PolicyStatement[] {
  const value = deploymentTagValue(restApiId, stage);
  return [
    new iam.PolicyStatement({
      sid: 'CreateTaggedKeys',
      actions: ['apigateway:POST'],
      resources: [arn(scope, '/apikeys')],
      conditions: {
        StringEquals: { [`aws:RequestTag/${DEPLOYMENT_TAG}`]: value },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [DEPLOYMENT_TAG] },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AttachKeysToStagePlans',
      actions: ['apigateway:POST'],
      resources: plans.map((p) => arn(scope, `/usageplans/${p.usagePlanId}/keys`)),
    }),
    new iam.PolicyStatement({
      sid: 'DetachKeysFromStagePlans',
      actions: ['apigateway:DELETE'],
      resources: plans.map((p) => arn(scope, `/usageplans/${p.usagePlanId}/keys/*`)),
    }),
    new iam.PolicyStatement({
      sid: 'DeleteOwnKeys',
      actions: ['apigateway:DELETE'],
      resources: [arn(scope, '/apikeys/*')],
      conditions: { StringEquals: { [`aws:ResourceTag/${DEPLOYMENT_TAG}`]: value } },
    }),
    new iam.PolicyStatement({
      sid: 'FindStagePlans',
      actions: ['apigateway:GET'],
      resources: [arn(scope, '/usageplans')],
    }),
  ];
}

/** The `*` in key ARNs (ids made at run time) is fenced by the tag or by this stage's plan ids (cdk-nag AwsSolutions-IAM5). */
export function acknowledgeApiKeyWildcards(policy: iam.Policy, plans: readonly apigw.UsagePlan[]): void {
  const reason =
    'API key ids are created at run time, so they cannot be in the template: deleting keys requires aws:ResourceTag/' +
    DEPLOYMENT_TAG +
    " = this REST API id/stage, and detaching is limited to this stage's own tier plans.";
  // cdk-nag names the region as the template has it: a placeholder, or the literal region of a
  // stack with its own environment (a tenant with `region` in tenants.json).
  const stack = Stack.of(policy);
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const prefix = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:${region}::`;
  Validations.of(policy).acknowledge(
    { id: `${prefix}/apikeys/*]`, reason },
    ...plans.map((p) => ({
      id: `${prefix}/usageplans/<${String(stack.resolve(stack.getLogicalId(p.node.defaultChild as CfnElement)))}>/keys/*]`,
      reason,
    })),
  );
}
