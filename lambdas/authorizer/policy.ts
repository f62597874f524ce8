/**
 * IAM policies for the REQUEST authorizer. The Allow covers the whole stage because
 * API Gateway reuses a cached policy for every method the same identity calls
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html); per-route rules live in the handlers.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { ErrorCode } from '../core/errors';
import { DENY_CONTEXT_KEYS } from '../gateway/gateway-responses';

/**
 * `arn:aws:execute-api:region:account:apiId/stage/METHOD/path` → `…:apiId/stage/*`. The api id
 * ends the first `/`-separated part, so the stage is the second one: keeping the third (the
 * method) would make a cached Allow from a GET refuse the same caller's POSTs (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html).
 */
export function stageWildcard(methodArn: string): string {
  const first = methodArn.indexOf('/');
  if (first <= 0) return methodArn;
  const second = methodArn.indexOf('/', first + 1);
  const stageEnd = second < 0 ? methodArn.length : second;
  if (stageEnd === first + 1) return methodArn;
  return `${methodArn.slice(0, stageEnd)}/*`;
}

export function allowPolicy(
  principalId: string,
  methodArn: string,
  context: Record<string, string>,
  usageIdentifierKey?: string,
): APIGatewayAuthorizerResult {
  const result: APIGatewayAuthorizerResult = {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageWildcard(methodArn) }],
    },
    context,
  };
  if (usageIdentifierKey !== undefined) result.usageIdentifierKey = usageIdentifierKey;
  return result;
}

/** A Deny carries its contract code for the ACCESS_DENIED Gateway Response; never a usage key. */
export function denyPolicy(methodArn: string, code: ErrorCode, description: string): APIGatewayAuthorizerResult {
  return {
    principalId: 'anonymous',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: stageWildcard(methodArn) }],
    },
    context: { [DENY_CONTEXT_KEYS.error]: code, [DENY_CONTEXT_KEYS.description]: description.replace(/["\\]/g, "'") },
  };
}
