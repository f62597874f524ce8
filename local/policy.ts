/**
 * Evaluates a Lambda authorizer's policy document against one request's method ARN, the
 * way API Gateway does (IAM evaluation logic): an explicit Deny wins, else an Allow is
 * needed, else the request is implicitly denied.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */

export type PolicyDecision = 'allow' | 'explicit_deny' | 'implicit_deny';

/** The authorizer returned something that is not a policy document (AWS: 500 configuration error). */
export class PolicyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyFormatError';
  }
}

export const INVOKE_ACTION = 'execute-api:Invoke';

export function evaluatePolicy(policyDocument: unknown, methodArn: string, action: string = INVOKE_ACTION): PolicyDecision {
  const statements = readStatements(policyDocument);
  let allowed = false;
  for (const st of statements) {
    const effect = st.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyFormatError('Effect must be Allow or Deny');
    // Conditions are not evaluated locally. Fail closed: a conditional Deny applies, a
    // conditional Allow does not (our authorizer never emits conditions).
    if (st.Condition !== undefined) {
      if (effect === 'Deny' && statementMatches(st, methodArn, action)) return 'explicit_deny';
      continue;
    }
    if (!statementMatches(st, methodArn, action)) continue;
    if (effect === 'Deny') return 'explicit_deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit_deny';
}

type RawStatement = Record<string, unknown>;

function readStatements(doc: unknown): RawStatement[] {
  if (!isRecord(doc)) throw new PolicyFormatError('policyDocument must be an object');
  const st = doc.Statement;
  // IAM accepts a single statement object as well as an array.
  const list = Array.isArray(st) ? st : st === undefined ? [] : [st];
  if (!list.every(isRecord)) throw new PolicyFormatError('Statement entries must be objects');
  return list;
}

function statementMatches(st: RawStatement, methodArn: string, action: string): boolean {
  // Action names are case-insensitive in IAM; resource ARNs are case-sensitive.
  const actionHit = matchElement(st, 'Action', 'NotAction', action, true);
  const resourceHit = matchElement(st, 'Resource', 'NotResource', methodArn, false);
  return actionHit && resourceHit;
}

function matchElement(st: RawStatement, key: string, notKey: string, value: string, ci: boolean): boolean {
  if (st[key] !== undefined) return patterns(st[key], key).some((p) => wildcardMatch(p, value, ci));
  if (st[notKey] !== undefined) return !patterns(st[notKey], notKey).some((p) => wildcardMatch(p, value, ci));
  throw new PolicyFormatError(`statement needs ${key} or ${notKey}`);
}

function patterns(v: unknown, key: string): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x): x is string => typeof x === 'string')) throw new PolicyFormatError(`${key} must be strings`);
  return list;
}

/**
 * IAM wildcards: `*` any run of characters (including `/` and `:`), `?` exactly one.
 * Iterative with a single backtrack point, so it is linear-ish and never a regex.
 */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star !== -1) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
