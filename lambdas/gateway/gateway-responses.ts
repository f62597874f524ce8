/**
 * Gateway Response templates: what API Gateway answers when it refuses a request
 * before (or instead of) a handler. lib/ turns these into AWS::ApiGateway::GatewayResponse
 * resources; local/ renders the same templates, so a test of the local gateway is a
 * test of the templates AWS uses.
 *
 * Templates only substitute `$context.*` variables (no logic), and one response type has
 * one status for the whole API (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html). So every authorizer denial is a 401 code
 * (the authorizer never denies by route, https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html) and its code and description
 * travel in the Deny's context as `error` / `errorDescription`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
import { bearerChallenge, errorBody } from '../core/error-answer';

export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'AUTHORIZER_FAILURE'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'INVALID_SIGNATURE'
  | 'EXPIRED_TOKEN'
  | 'BAD_REQUEST_BODY'
  | 'BAD_REQUEST_PARAMETERS'
  | 'REQUEST_TOO_LARGE'
  | 'THROTTLED'
  | 'QUOTA_EXCEEDED'
  | 'INVALID_API_KEY'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

export interface GatewayResponseTemplate {
  readonly status: number;
  /** Header values: either a static string, or `$context.…` substituted per request. */
  readonly headers: Readonly<Record<string, string>>;
  /** application/json body template; `$context.authorizer.<key>` is substituted. */
  readonly body: string;
}

/**
 * Bodies come from core/error-answer.ts, the renderer handlers and the local gateway use too.
 * POST /graphql must carry GraphQL's reading on every error, refusals made before its handler
 * included; those come from Gateway Responses, which API Gateway applies to the whole REST API,
 * not per route, so every Gateway Response carries both readings (REST clients ignore the extra
 * member).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
 */
/** A template body: `$context.authorizer.*` placeholders pass through JSON.stringify untouched. */
const json = (error: string, description: string): string => JSON.stringify(errorBody(error, description));

const bearer = bearerChallenge;

const CONTENT_TYPE = { 'Content-Type': 'application/json' } as const;

/** Context keys the authorizer sets on a Deny (strings only, https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html). */
export const DENY_CONTEXT_KEYS = { error: 'error', description: 'errorDescription' } as const;

export const GATEWAY_RESPONSES: Readonly<Record<GatewayResponseType, GatewayResponseTemplate>> = {
  // Identity source missing: API Gateway answers without calling the authorizer.
  UNAUTHORIZED: {
    status: 401,
    headers: { ...CONTENT_TYPE, 'WWW-Authenticate': bearer('invalid_token', 'Missing or malformed bearer token') },
    body: json('invalid_token', 'Missing or malformed bearer token'),
  },
  // The authorizer's Deny: the reason comes from its context, in the body only. A Gateway
  // Response header is a static value or one mapped request parameter, never a template, so
  // the challenge header is the generic RFC 6750 one (the precise code is in the body).
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.gatewayResponse.html
  ACCESS_DENIED: {
    status: 401,
    headers: { ...CONTENT_TYPE, 'WWW-Authenticate': bearer('invalid_token', 'The access token was refused') },
    body: json('$context.authorizer.error', '$context.authorizer.errorDescription'),
  },
  // The authorizer threw (e.g. DynamoDB down): fail closed with 503, never allow.
  AUTHORIZER_FAILURE: {
    status: 503,
    headers: { ...CONTENT_TYPE, 'Retry-After': '1' },
    body: json('service_unavailable', 'Authentication is temporarily unavailable'),
  },
  AUTHORIZER_CONFIGURATION_ERROR: {
    status: 503,
    headers: { ...CONTENT_TYPE, 'Retry-After': '1' },
    body: json('service_unavailable', 'Authentication is temporarily unavailable'),
  },
  // API Gateway's answer for an unknown resource or method (and for an unsigned IAM route).
  MISSING_AUTHENTICATION_TOKEN: {
    status: 404,
    headers: CONTENT_TYPE,
    body: json('not_found', 'No such route'),
  },
  // IAM (SigV4) on the operator routes: a bad or expired signature.
  INVALID_SIGNATURE: {
    status: 401,
    headers: { ...CONTENT_TYPE, 'WWW-Authenticate': bearer('unauthorized', 'Request signature is not valid') },
    body: json('unauthorized', 'Request signature is not valid'),
  },
  EXPIRED_TOKEN: {
    status: 401,
    headers: { ...CONTENT_TYPE, 'WWW-Authenticate': bearer('unauthorized', 'Request signature expired') },
    body: json('unauthorized', 'Request signature expired'),
  },
  BAD_REQUEST_BODY: { status: 400, headers: CONTENT_TYPE, body: json('invalid_request', 'Malformed request body') },
  BAD_REQUEST_PARAMETERS: {
    status: 400,
    headers: CONTENT_TYPE,
    body: json('invalid_request', 'Malformed request parameters'),
  },
  REQUEST_TOO_LARGE: { status: 413, headers: CONTENT_TYPE, body: json('invalid_request', 'Request too large') },
  THROTTLED: {
    status: 429,
    headers: { ...CONTENT_TYPE, 'Retry-After': '1' },
    body: json('rate_limited', 'Rate limit exceeded, retry later'),
  },
  QUOTA_EXCEEDED: {
    status: 429,
    headers: { ...CONTENT_TYPE, 'Retry-After': '3600' },
    body: json('quota_exceeded', 'Quota for the period exhausted'),
  },
  // An Allow whose usageIdentifierKey is in no usage plan of the stage (or absent): a client
  // without a provisioned key. Refused, never let through unmetered.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
  INVALID_API_KEY: {
    status: 403,
    headers: CONTENT_TYPE,
    body: json('insufficient_permissions', 'No usage plan is set up for this client'),
  },
  INTEGRATION_FAILURE: {
    status: 503,
    headers: { ...CONTENT_TYPE, 'Retry-After': '1' },
    body: json('service_unavailable', 'The service is temporarily unavailable'),
  },
  INTEGRATION_TIMEOUT: {
    status: 503,
    headers: { ...CONTENT_TYPE, 'Retry-After': '1' },
    body: json('service_unavailable', 'The service is temporarily unavailable'),
  },
  DEFAULT_4XX: { status: 400, headers: CONTENT_TYPE, body: json('invalid_request', 'The request was refused') },
  DEFAULT_5XX: {
    status: 503,
    headers: { ...CONTENT_TYPE, 'Retry-After': '1' },
    body: json('service_unavailable', 'The service is temporarily unavailable'),
  },
};

/**
 * Renders a template the way API Gateway does: `$context.authorizer.<key>` becomes the
 * context value (or an empty string). Values are JSON-string-escaped because they land
 * inside a JSON string; the authorizer only ever puts fixed, quote-free texts there.
 */
export function renderTemplate(template: string, authorizerContext: Readonly<Record<string, unknown>> = {}): string {
  return template.replace(/\$context\.authorizer\.([A-Za-z0-9_]+)/g, (_m, key: string) => {
    const v = authorizerContext[key];
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return '';
    return JSON.stringify(String(v)).slice(1, -1);
  });
}
