import { allowPolicy, stageWildcard } from '../../lambdas/authorizer/policy';
import { evaluatePolicy } from '../../local/policy';

const GET_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123defg/sandbox/GET/v1/acme/sessions/s1';
const POST_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123defg/sandbox/POST/graphql';

describe('stageWildcard', () => {
  test('covers every method and path of the stage, not only the method in hand', () => {
    expect(stageWildcard(GET_ARN)).toBe('arn:aws:execute-api:eu-west-1:123456789012:abc123defg/sandbox/*');
  });

  test('a cached Allow issued for a GET also allows the same caller a POST on the same stage, never another stage', () => {
    const policy = allowPolicy('acme', GET_ARN, {}).policyDocument;
    expect(evaluatePolicy(policy, POST_ARN)).toBe('allow');
    expect(evaluatePolicy(policy, POST_ARN.replace('/sandbox/', '/prod/'))).toBe('implicit_deny');
  });
});
