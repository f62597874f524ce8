/**
 * One stage's request flow, in API Gateway REST order: route → body limit → method
 * authorization (operator key or Lambda authorizer) → [usage plan seam] → Lambda proxy
 * integration. Works on a parsed LocalRequest; local/server.ts does the HTTP plumbing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayEventDefaultAuthorizerContext } from 'aws-lambda';
import type { GatewayResponseType } from '../lambdas/gateway/gateway-responses';
import { findRoute, type RouteSpec } from '../lambdas/gateway/routes';
import { ADMIN_KEY_HEADER, MAX_BODY_BYTES } from '../lambdas/gateway/settings';
import { type GatewayAnswer, jsonErrorAnswer, proxyResultAnswer, templateAnswer } from './answers';
import { authorize } from './authorize';
import type { AuthorizerCache, AuthorizerContextValue } from './authorizer-cache';
import { buildProxyEvent, type CallerIdentity, headerValue, LOCAL_ACCOUNT_ID, type LocalRequest, type RouteContext } from './events';
import { invokeLambda } from './invoke';
import type { StageRuntime } from './stage-runtime';

/** What the authorizer allowed, as the usage-plan seam sees it. */
export interface AllowedRequest {
  readonly requestId: string;
  readonly stage: string;
  readonly route: RouteSpec;
  readonly principalId: string;
  /** The API key a usage plan meters (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html); absent when the authorizer set none. */
  readonly usageIdentifierKey?: string;
  readonly context: Readonly<Record<string, AuthorizerContextValue>>;
  /** The answer came from the authorizer cache (AWS meters those requests too). */
  readonly cached: boolean;
}

export interface GatewayHooks {
  /**
   * Called after every Allow (fresh or cached) and before the integration: the seam for
   * usage plans. Return a THROTTLED or QUOTA_EXCEEDED response type to refuse.
   * Never called for refused requests or for `none`/`operator` routes.
   */
  readonly afterAllow?: (
    request: AllowedRequest,
  ) => Promise<GatewayResponseType | undefined | void> | GatewayResponseType | undefined | void;
}

/**
 * The body, or a refusal because it is over MAX_BODY_BYTES or did not arrive before the
 * server's body deadline. Read only when a route matched.
 */
export type BodyReader = () => Promise<
  { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly reason?: 'too_large' | 'timeout' }
>;

export interface PipelineDeps {
  readonly runtime: StageRuntime;
  readonly cache: AuthorizerCache;
  readonly routes: readonly RouteSpec[];
  readonly hooks: GatewayHooks;
  readonly log: (line: string) => void;
}

/** Stands in for the SigV4 principal of an IAM-authorized operator call in AWS. */
const LOCAL_OPERATOR_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/local-operator`;

export async function handleStageRequest(
  deps: PipelineDeps,
  req: Omit<LocalRequest, 'body'>,
  readBody: BodyReader,
): Promise<GatewayAnswer> {
  const lookup = findRoute(req.method, req.path, deps.routes);
  if (lookup.kind === 'not_found') return templateAnswer('MISSING_AUTHENTICATION_TOKEN');
  if (lookup.kind === 'method_not_allowed') {
    // As API Gateway: an unknown method is an unknown route (404 not_found); Allow helps the caller.
    const answer = templateAnswer('MISSING_AUTHENTICATION_TOKEN');
    return { ...answer, headers: { ...answer.headers, Allow: lookup.allowed.join(', ') } };
  }
  const { route, pathParameters } = lookup.match;
  const routeCtx: RouteContext = { resource: route.path, pathParameters };

  const read = await readBody();
  if (!read.ok && read.reason === 'timeout') {
    // A body that did not arrive in time is cut like slow headers (local/server.ts), in JSON.
    return jsonErrorAnswer('invalid_request', 'Request body not received in time', { transportStatus: 408, format: route.errorFormat });
  }
  // The handlers refuse the same (lambdas/runtime/http.ts); reading stops at the limit here.
  if (!read.ok) return jsonErrorAnswer('invalid_request', `Body over ${MAX_BODY_BYTES / 1024} KiB`, { format: route.errorFormat });
  const full: LocalRequest = { ...req, body: read.body };

  switch (route.auth) {
    case 'none':
      return integrate(deps, full, route, routeCtx, undefined);
    case 'operator':
      if (!operatorKeyMatches(headerValue(req.rawHeaders, ADMIN_KEY_HEADER), deps.runtime.adminKey)) {
        return jsonErrorAnswer('unauthorized', 'Missing or wrong operator key');
      }
      return integrate(deps, full, route, routeCtx, undefined, { userArn: LOCAL_OPERATOR_ARN });
    case 'jwt':
    case 'jwt-or-api-key': {
      const auth = await authorize(deps, full, route, routeCtx);
      if (auth.kind === 'refuse') return auth.answer;
      const { outcome } = auth;
      const allowed: AllowedRequest = {
        requestId: req.requestId,
        stage: req.stage,
        route,
        principalId: outcome.principalId,
        context: outcome.context,
        cached: auth.cached,
        ...(outcome.usageIdentifierKey === undefined ? {} : { usageIdentifierKey: outcome.usageIdentifierKey }),
      };
      const refusal = await deps.hooks.afterAllow?.(allowed);
      if (refusal) return templateAnswer(refusal);
      // API Gateway adds principalId and integrationLatency to the authorizer context.
      const authorizer = { ...outcome.context, principalId: outcome.principalId, integrationLatency: auth.latencyMs };
      return integrate(deps, full, route, routeCtx, authorizer);
    }
  }
}

/**
 * Compares digests, so neither the key's length nor its content leaks through timing.
 */
export function operatorKeyMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || presented.length === 0) return false;
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

async function integrate(
  deps: PipelineDeps,
  req: LocalRequest,
  route: RouteSpec,
  routeCtx: RouteContext,
  authorizer: APIGatewayEventDefaultAuthorizerContext,
  caller?: CallerIdentity,
): Promise<GatewayAnswer> {
  const handler = deps.runtime.integrations[route.function];
  if (!handler) {
    deps.log(`function ${route.function} not loaded: ${route.method} ${route.path} answers 503`);
    return templateAnswer('INTEGRATION_FAILURE');
  }
  let result: unknown;
  try {
    result = await invokeLambda(
      { fn: route.function, tenant: deps.runtime.env.TENANT, stage: deps.runtime.stage },
      handler,
      buildProxyEvent(req, routeCtx, authorizer, caller),
    );
  } catch (err) {
    deps.log(`${route.function} failed: ${err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : typeof err}`);
    return templateAnswer('INTEGRATION_FAILURE');
  }
  try {
    return proxyResultAnswer(result);
  } catch (err) {
    deps.log(`${route.function} returned a malformed proxy result: ${(err as Error).message}`);
    return templateAnswer('INTEGRATION_FAILURE');
  }
}
