/**
 * Builds the events API Gateway (REST, Lambda proxy integration) hands to Lambda, from a
 * request the local server has parsed.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 */
import type {
  APIGatewayEventDefaultAuthorizerContext,
  APIGatewayEventIdentity,
  APIGatewayEventRequestContextWithAuthorizer,
  APIGatewayProxyEvent,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';
import type { StageName } from '../lambdas/gateway/settings';

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'local';

/** One request as the server received it (after the stage segment was split off). */
export interface LocalRequest {
  readonly requestId: string;
  readonly requestTimeEpoch: number;
  readonly stage: StageName;
  readonly apiId: string;
  readonly method: string;
  /** Path below the stage, as received (still percent-encoded), e.g. `/v1/auth/verify`. */
  readonly path: string;
  /** The raw query string, without `?`. */
  readonly query: string;
  /** Node's rawHeaders: [name, value, name, value, ...] with the casing the client sent. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer | undefined;
  readonly sourceIp: string;
  readonly domainName: string;
}

export interface RouteContext {
  /** The resource path template, e.g. `/admin/clients/{clientName}`. */
  readonly resource: string;
  readonly pathParameters: Readonly<Record<string, string>>;
}

export interface HeaderMaps {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
}

/**
 * Single-value maps keep the last value of a repeated header or query parameter, the
 * multi-value maps keep all (as API Gateway does). Header names keep the casing of their
 * first occurrence; repeats in another casing join it, since header names are case-insensitive.
 */
export function headerMaps(rawHeaders: readonly string[]): HeaderMaps {
  // Null-prototype: a header named `__proto__`, `constructor` or `toString` is an entry like
  // any other (on a plain object `??=` would find the inherited member and push onto it).
  const headers = Object.create(null) as Record<string, string>;
  const multiValueHeaders = Object.create(null) as Record<string, string[]>;
  const casing = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const value = rawHeaders[i + 1] as string;
    const lower = name.toLowerCase();
    const key = casing.get(lower) ?? name;
    casing.set(lower, key);
    headers[key] = value;
    (multiValueHeaders[key] ??= []).push(value);
  }
  return { headers, multiValueHeaders };
}

/** Case-insensitive header lookup (last value wins, as in `headers`). */
export function headerValue(rawHeaders: readonly string[], name: string): string | undefined {
  const lower = name.toLowerCase();
  let found: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() === lower) found = rawHeaders[i + 1];
  }
  return found;
}

function queryMaps(query: string): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
} {
  const params = new URLSearchParams(query);
  // Null-prototype for the same reason as headerMaps.
  const single = Object.create(null) as Record<string, string>;
  const multi = Object.create(null) as Record<string, string[]>;
  for (const [k, v] of params) {
    single[k] = v;
    (multi[k] ??= []).push(v);
  }
  return Object.keys(single).length === 0 ? { single: null, multi: null } : { single, multi };
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path without leading slash}` */
export function methodArn(req: Pick<LocalRequest, 'apiId' | 'stage' | 'method' | 'path'>): string {
  return `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${req.apiId}/${req.stage}/${req.method}/${req.path.replace(/^\//, '')}`;
}

export interface CallerIdentity {
  /** Set on operator routes, standing in for the SigV4 principal API Gateway reports in AWS. */
  readonly userArn?: string;
}

function requestContext<A>(req: LocalRequest, route: RouteContext, authorizer: A, caller: CallerIdentity = {}) {
  const ua = headerValue(req.rawHeaders, 'user-agent') ?? null;
  const identity: APIGatewayEventIdentity = {
    accessKey: null,
    accountId: caller.userArn ? LOCAL_ACCOUNT_ID : null,
    apiKey: null,
    apiKeyId: null,
    caller: caller.userArn ?? null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: req.sourceIp,
    user: caller.userArn ?? null,
    userAgent: ua,
    userArn: caller.userArn ?? null,
  };
  const ctx: APIGatewayEventRequestContextWithAuthorizer<A> = {
    accountId: LOCAL_ACCOUNT_ID,
    apiId: req.apiId,
    authorizer,
    domainName: req.domainName,
    domainPrefix: req.domainName.split('.')[0] ?? req.domainName,
    extendedRequestId: req.requestId,
    protocol: 'HTTP/1.1',
    httpMethod: req.method,
    identity,
    path: `/${req.stage}${req.path}`,
    stage: req.stage,
    requestId: req.requestId,
    requestTime: clfTime(req.requestTimeEpoch),
    requestTimeEpoch: req.requestTimeEpoch,
    resourceId: 'local',
    resourcePath: route.resource,
  };
  return ctx;
}

function commonParts(req: LocalRequest, route: RouteContext) {
  const { headers, multiValueHeaders } = headerMaps(req.rawHeaders);
  const q = queryMaps(req.query);
  return {
    resource: route.resource,
    path: req.path,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: q.single,
    multiValueQueryStringParameters: q.multi,
    pathParameters:
      Object.keys(route.pathParameters).length === 0
        ? null
        : Object.assign(Object.create(null) as Record<string, string>, route.pathParameters),
    stageVariables: null,
  };
}

export function buildAuthorizerEvent(req: LocalRequest, route: RouteContext): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: methodArn(req),
    ...commonParts(req, route),
    requestContext: requestContext(req, route, undefined),
  };
}

export function buildProxyEvent(
  req: LocalRequest,
  route: RouteContext,
  authorizer: APIGatewayEventDefaultAuthorizerContext,
  caller: CallerIdentity = {},
): APIGatewayProxyEvent {
  const body = encodeBody(req.body);
  return {
    ...commonParts(req, route),
    body: body.body,
    isBase64Encoded: body.isBase64Encoded,
    requestContext: requestContext(req, route, authorizer, caller),
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text as is; anything else base64 with isBase64Encoded (a binary media type in AWS). */
export function encodeBody(body: Buffer | undefined): { body: string | null; isBase64Encoded: boolean } {
  if (!body || body.length === 0) return { body: null, isBase64Encoded: false };
  try {
    return { body: utf8.decode(body), isBase64Encoded: false };
  } catch {
    return { body: body.toString('base64'), isBase64Encoded: true };
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `$context.requestTime` format: `23/Nov/2025:14:13:00 +0000`. */
function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(
    d.getUTCMinutes(),
  )}:${p(d.getUTCSeconds())} +0000`;
}
