/**
 * IAM for the functions that manage this deployment's usage plans. Plans and keys are created
 * at run time (one plan per client, lambdas/store/apigateway-usage.ts), so their ids are not in
 * the template; every grant is confined to this deployment by the tag the function puts on
 * them at creation (`aws:RequestTag`) and finds on them afterwards (`aws:ResourceTag`, which a
 * usage plan key inherits from its plan).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-tagging-iam-policy.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-tagging-supported-resources.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DEPLOYMENT_TAG } from '../lambdas/store/apigateway-usage';

export interface UsagePlanAccessInput {
  readonly restApiId: string;
  readonly stage: string;
}

function arn(scope: Construct, path: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:apigateway:${stack.region}::${path}`;
}

/** CreateApiKey, CreateUsagePlan, CreateUsagePlanKey, their deletes (undo), GetUsage. */
export function usagePlanAdminStatements(scope: Construct, input: UsagePlanAccessInput): iam.PolicyStatement[] {
  const value = `${input.restApiId}/${input.stage}`;
  return [
    new iam.PolicyStatement({
      sid: 'CreateTaggedKeysAndPlans',
      actions: ['apigateway:POST'],
      resources: [arn(scope, '/apikeys'), arn(scope, '/usageplans')],
      conditions: {
        StringEquals: { [`aws:RequestTag/${DEPLOYMENT_TAG}`]: value },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [DEPLOYMENT_TAG] },
      },
    }),
    new iam.PolicyStatement({
      sid: 'BindKeysToOwnPlans',
      actions: ['apigateway:POST'],
      resources: [arn(scope, '/usageplans/*/keys')],
      conditions: { StringEquals: { [`aws:ResourceTag/${DEPLOYMENT_TAG}`]: value } },
    }),
    new iam.PolicyStatement({
      sid: 'UndoOwnKeysAndPlans',
      actions: ['apigateway:DELETE'],
      resources: [arn(scope, '/apikeys/*'), arn(scope, '/usageplans/*')],
      conditions: { StringEquals: { [`aws:ResourceTag/${DEPLOYMENT_TAG}`]: value } },
    }),
    ...usagePlanReadStatements(scope, input),
  ];
}

/** GetUsage on this deployment's plans only. */
export function usagePlanReadStatements(scope: Construct, input: UsagePlanAccessInput): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ReadOwnPlanUsage',
      actions: ['apigateway:GET'],
      resources: [arn(scope, '/usageplans/*/usage')],
      conditions: { StringEquals: { [`aws:ResourceTag/${DEPLOYMENT_TAG}`]: `${input.restApiId}/${input.stage}` } },
    }),
  ];
}

/**
 * The run-time ids above force `*` in the plan and key ARNs (cdk-nag AwsSolutions-IAM5). Each
 * statement is fenced by the deployment tag instead; acknowledged per ARN pattern, not wholesale.
 */
export function acknowledgeUsagePlanWildcards(policy: iam.Policy): void {
  const reason =
    'Usage plans and API keys are created at run time (one plan per client), so their ids cannot be in the template; ' +
    'every statement on these ARNs requires aws:ResourceTag/' + DEPLOYMENT_TAG + ' = this REST API id/stage.';
  // cdk-nag names the region as the template has it: a placeholder, or the literal region of a
  // stack with its own environment (a tenant with `region` in tenants.json).
  const stackRegion = Stack.of(policy).region;
  const region = Token.isUnresolved(stackRegion) ? '<AWS::Region>' : stackRegion;
  const prefix = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:${region}::`;
  Validations.of(policy).acknowledge(
    ...['/usageplans/*', '/usageplans/*/keys', '/usageplans/*/usage', '/apikeys/*'].map((p) => ({ id: `${prefix}${p}]`, reason })),
  );
}
