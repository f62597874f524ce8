/**
 * The REQUEST authorizer step of a `jwt` or `jwt-or-api-key` route, as API Gateway runs it:
 * identity source check → cache → Lambda authorizer → policy evaluation. Which identity
 * sources and whether results are cached come from AUTHORIZERS (lambdas/gateway/settings.ts),
 * the same table lib/ builds the two API Gateway authorizers from.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 */
import type { RouteSpec } from '../lambdas/gateway/routes';
import { AUTHORIZERS } from '../lambdas/gateway/settings';
import { type GatewayAnswer, templateAnswer } from './answers';
import type { AuthorizerCache, AuthorizerContextValue, AuthorizerOutcome } from './authorizer-cache';
import { buildAuthorizerEvent, headerValue, type LocalRequest, methodArn, type RouteContext } from './events';
import { invokeLambda } from './invoke';
import { evaluatePolicy, PolicyFormatError } from './policy';
import type { StageRuntime } from './stage-runtime';

export type AuthorizeResult =
  | { readonly kind: 'allow'; readonly outcome: AuthorizerOutcome; readonly cached: boolean; readonly latencyMs: number }
  | { readonly kind: 'refuse'; readonly answer: GatewayAnswer };

export interface AuthorizeDeps {
  readonly runtime: StageRuntime;
  readonly cache: AuthorizerCache;
  readonly log: (line: string) => void;
}

export async function authorize(
  deps: AuthorizeDeps,
  req: LocalRequest,
  route: RouteSpec,
  routeCtx: RouteContext,
): Promise<AuthorizeResult> {
  const spec = route.auth === 'jwt-or-api-key' ? AUTHORIZERS['jwt-or-api-key'] : AUTHORIZERS.jwt;
  const values = spec.identityHeaders.map((name) => headerValue(req.rawHeaders, name));
  // A missing or empty identity source is refused before the authorizer runs (https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html).
  if (values.some((v) => v === undefined || v.trim() === '')) return refuse('UNAUTHORIZED');
  // The cache key is the identity source values; an uncached authorizer (TTL 0) has none.
  const identity = spec.cached ? values.join('\n') : undefined;

  const arn = methodArn(req);
  let outcome = identity === undefined ? undefined : deps.cache.get(identity);
  const cached = outcome !== undefined;
  const started = Date.now();
  if (!outcome) {
    const handler = deps.runtime.authorizer;
    if (!handler) {
      deps.log(`authorizer not loaded: ${route.method} ${route.path} refused`);
      return refuse('AUTHORIZER_CONFIGURATION_ERROR');
    }
    let raw: unknown;
    try {
      raw = await invokeLambda(
        { fn: 'authorizer', tenant: deps.runtime.env.TENANT, stage: deps.runtime.stage },
        handler,
        buildAuthorizerEvent(req, routeCtx),
      );
    } catch (err) {
      // Only the exact message "Unauthorized" means 401; any other failure is AUTHORIZER_FAILURE.
      if (isUnauthorizedSignal(err)) return refuse('UNAUTHORIZED');
      deps.log(`authorizer failed: ${describe(err)}`);
      return refuse('AUTHORIZER_FAILURE');
    }
    try {
      outcome = normalizeOutcome(raw);
      evaluatePolicy(outcome.policyDocument, arn); // validates the document before it is cached
    } catch (err) {
      deps.log(`authorizer returned an invalid result: ${describe(err)}`);
      return refuse('AUTHORIZER_CONFIGURATION_ERROR');
    }
    if (identity !== undefined) deps.cache.set(identity, outcome); // Allow and Deny alike
  }

  const decision = evaluatePolicy(outcome.policyDocument, arn);
  if (decision !== 'allow') {
    if (outcome.usageIdentifierKey !== undefined) deps.log('warning: authorizer returned usageIdentifierKey with a Deny');
    return { kind: 'refuse', answer: templateAnswer('ACCESS_DENIED', outcome.context) };
  }
  return { kind: 'allow', outcome, cached, latencyMs: cached ? 0 : Date.now() - started };
}

function refuse(type: Parameters<typeof templateAnswer>[0]): AuthorizeResult {
  return { kind: 'refuse', answer: templateAnswer(type) };
}

function isUnauthorizedSignal(err: unknown): boolean {
  return err === 'Unauthorized' || (err instanceof Error && err.message === 'Unauthorized');
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 300);
  return typeof err;
}

/**
 * Checks the shape API Gateway requires (else AuthorizerConfigurationException) and
 * stringifies context values, as API Gateway does before the integration sees them.
 */
export function normalizeOutcome(raw: unknown): AuthorizerOutcome {
  if (typeof raw !== 'object' || raw === null) throw new PolicyFormatError('result is not an object');
  const r = raw as Record<string, unknown>;
  if (typeof r.principalId !== 'string') throw new PolicyFormatError('principalId must be a string');
  if (r.policyDocument === undefined) throw new PolicyFormatError('policyDocument is missing');
  const context: Record<string, AuthorizerContextValue> = {};
  if (r.context !== undefined && r.context !== null) {
    if (typeof r.context !== 'object' || Array.isArray(r.context)) throw new PolicyFormatError('context must be an object');
    for (const [k, v] of Object.entries(r.context as Record<string, unknown>)) {
      if (v === undefined) continue;
      if (v === null) context[k] = null;
      else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') context[k] = String(v);
      else throw new PolicyFormatError(`context.${k} must be a string, number or boolean`);
    }
  }
  const base = { principalId: r.principalId, policyDocument: r.policyDocument, context };
  if (r.usageIdentifierKey === undefined || r.usageIdentifierKey === null) return base;
  if (typeof r.usageIdentifierKey !== 'string') throw new PolicyFormatError('usageIdentifierKey must be a string');
  return { ...base, usageIdentifierKey: r.usageIdentifierKey };
}
