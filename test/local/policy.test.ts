import { evaluatePolicy, PolicyFormatError, wildcardMatch } from '../../local/policy';

const ARN = 'arn:aws:execute-api:local:000000000000:abc123defg/sandbox/GET/v1/acme/sessions/42';
const doc = (...Statement: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement });

describe('wildcardMatch (IAM semantics)', () => {
  it('lets * span slashes and colons', () => {
    expect(wildcardMatch('arn:aws:execute-api:*', ARN)).toBe(true);
    expect(wildcardMatch('arn:aws:execute-api:local:000000000000:abc123defg/sandbox/*', ARN)).toBe(true);
    expect(wildcardMatch('*/sandbox/*/v1/*/sessions/*', ARN)).toBe(true);
  });

  it('matches ? against exactly one character', () => {
    expect(wildcardMatch('a?c', 'abc')).toBe(true);
    expect(wildcardMatch('a?c', 'ac')).toBe(false);
    expect(wildcardMatch('a?c', 'abbc')).toBe(false);
  });

  it('anchors both ends and is case-sensitive unless asked', () => {
    expect(wildcardMatch('arn:aws:execute-api:local:000000000000:abc123defg/prod/*', ARN)).toBe(false);
    expect(wildcardMatch('*/get/*', ARN)).toBe(false);
    expect(wildcardMatch('execute-api:invoke', 'execute-api:Invoke', true)).toBe(true);
    expect(wildcardMatch('', '')).toBe(true);
    expect(wildcardMatch('*', '')).toBe(true);
  });

  it('handles many stars without blowing up', () => {
    expect(wildcardMatch('*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
  });
});

describe('evaluatePolicy', () => {
  it('allows when an Allow statement matches action and resource', () => {
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN }), ARN)).toBe('allow');
  });

  it('accepts wildcard actions, action lists and a single statement object', () => {
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: 'execute-api:*', Resource: '*' }), ARN)).toBe('allow');
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: ['s3:GetObject', '*'], Resource: ['x', '*/GET/*'] }), ARN)).toBe('allow');
    expect(
      evaluatePolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'EXECUTE-API:invoke', Resource: '*' } }, ARN),
    ).toBe('allow');
  });

  it('denies implicitly when no Allow matches', () => {
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*/POST/*' }), ARN)).toBe('implicit_deny');
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), ARN)).toBe('implicit_deny');
    expect(evaluatePolicy(doc(), ARN)).toBe('implicit_deny');
  });

  it('lets an explicit Deny win over any Allow, in either order', () => {
    const allow = { Effect: 'Allow', Action: '*', Resource: '*' };
    const deny = { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*/sandbox/GET/v1/*' };
    expect(evaluatePolicy(doc(allow, deny), ARN)).toBe('explicit_deny');
    expect(evaluatePolicy(doc(deny, allow), ARN)).toBe('explicit_deny');
  });

  it('supports NotAction and NotResource', () => {
    expect(evaluatePolicy(doc({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }), ARN)).toBe('allow');
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: '*', NotResource: '*/admin/*' }), ARN)).toBe('allow');
    expect(evaluatePolicy(doc({ Effect: 'Deny', Action: '*', NotResource: '*/admin/*' }), ARN)).toBe('explicit_deny');
  });

  it('fails closed on conditions it cannot evaluate', () => {
    const Condition = { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } };
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition }), ARN)).toBe('implicit_deny');
    expect(
      evaluatePolicy(doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition }), ARN),
    ).toBe('explicit_deny');
  });

  it('rejects documents that are not policies', () => {
    expect(() => evaluatePolicy(null, ARN)).toThrow(PolicyFormatError);
    expect(() => evaluatePolicy(doc({ Effect: 'allow', Action: '*', Resource: '*' }), ARN)).toThrow(PolicyFormatError);
    expect(() => evaluatePolicy(doc({ Effect: 'Allow', Resource: '*' }), ARN)).toThrow(PolicyFormatError);
    expect(() => evaluatePolicy(doc({ Effect: 'Allow', Action: '*', Resource: 42 }), ARN)).toThrow(PolicyFormatError);
  });
});
