/**
 * The one place that turns API Gateway proxy events into calls of an operation and
 * typed errors into the contract's JSON answers. Handlers stay thin: they declare
 * operations by the route table's ids and return plain { status, body }.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { API_KEY_AUTH_KIND, AUTH_KIND_KEY, fromAuthorizerContext } from '../core/auth-context';
import { parseClientName } from '../core/client-settings';
import { isExpired } from '../core/claims';
import {
  GatewayError,
  InsufficientPermissionsError,
  InvalidRequestError,
  MissingRequiredClaimError,
  TokenExpiredError,
} from '../core/errors';
import { checkJsonContentType } from '../core/content-type';
import { errorAnswer } from '../core/error-answer';
import { parseJsonInput } from '../core/json-input';
import { answerRequestId, REQUEST_ID_HEADER } from '../core/request-id';
import type { QuotaState } from '../core/quota';
import type { AuthenticatedEntity } from '../core/verify-token';
import { ROUTES, type OperationIdOf, type RouteSpec, type ServedFunction } from '../gateway/routes';
import { MAX_BODY_BYTES } from '../gateway/settings';
import type { IntegrationHandler } from './handler-types';
import type { AdmitRequest } from './quota-meter';
import { logger } from './logger';

export interface ApiRequest {
  event: APIGatewayProxyEvent;
  route: RouteSpec;
  params: Readonly<Record<string, string>>;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  /** The authenticated caller on `jwt` routes (already checked for expiry, sub and scopes). */
  caller?: AuthenticatedEntity;
  /** On `jwt-or-api-key` routes called with an API key instead of a JWT: the key's client. */
  apiKeyClient?: string;
  /**
   * The quotas this request was counted against (limit, remaining, reset), when the function
   * counts (HttpOptions.admit); what RateLimit-style response headers can report.
   */
  quota?: QuotaState;
  /**
   * The JSON body, parsed once: 400 invalid_request if it is empty, not sent as
   * application/json, malformed, over 64 KiB, or over the bounds of core/json-input.ts.
   */
  json(): unknown;
}

/** The caller of a `jwt` route; only routes whose answers depend on who calls ask for it. */
export function callerOf(req: ApiRequest): AuthenticatedEntity {
  if (!req.caller) throw new Error(`${req.route.operation} needs an authenticated caller`);
  return req.caller;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (e.g. the portal page), sent as is. */
  raw?: string;
}

export type Operation = (req: ApiRequest) => Promise<ApiResponse>;

export interface HttpOptions {
  clock?: () => number;
  /** Extra checks on an authenticated caller (revocation), run before the operation. */
  checkCaller?: (caller: AuthenticatedEntity) => Promise<void>;
  /** The same for a request made with a client's API key (`jwt-or-api-key` routes). */
  checkApiKeyClient?: (clientName: string) => Promise<void>;
  /**
   * Counts an authenticated request against its quotas (lambdas/runtime/quota-meter.ts) once
   * the caller checks passed; throws quota_exceeded (uncounted) or a 401 of its own.
   */
  admit?: AdmitRequest;
}

/** What a successful JSON answer carries besides its own headers. */
const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

export function errorResult(err: GatewayError, format: RouteSpec['errorFormat'] = undefined): APIGatewayProxyResult {
  const answer = errorAnswer(err.code, err.message, { format, challenge: err.challenge, retryAfter: err.retryAfter });
  return { statusCode: answer.status, headers: { ...answer.headers }, body: answer.body };
}

/**
 * Request maps keyed by what the client sent (header, query and path names): null-prototype,
 * so a name such as `__proto__`, `constructor` or `toString` is a plain entry, never a
 * prototype member read or overwritten.
 */
function inputMap(entries: Record<string, string | undefined> | null | undefined, lower = false): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  if (!entries) return out;
  for (const k of Object.keys(entries)) {
    const v = entries[k];
    if (typeof v === 'string') out[lower ? k.toLowerCase() : k] = v;
  }
  return out;
}

/** Every answer carries X-Request-Id: the caller's (when safe to echo) or API Gateway's request id. */
function requestIdHeader(event: APIGatewayProxyEvent | undefined): Record<string, string> {
  const presented = Object.entries(event?.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-request-id')?.[1];
  const gatewayId = event?.requestContext?.requestId;
  return gatewayId ? { [REQUEST_ID_HEADER]: answerRequestId(presented, gatewayId) } : {};
}

function withRequestId(result: APIGatewayProxyResult, event: APIGatewayProxyEvent | undefined): APIGatewayProxyResult {
  return { ...result, headers: { ...result.headers, ...requestIdHeader(event) } };
}

function bodyBytes(event: APIGatewayProxyEvent): Buffer {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
}

function parseBody(event: APIGatewayProxyEvent, contentType: string | undefined): unknown {
  const bytes = bodyBytes(event);
  if (bytes.length === 0) throw new InvalidRequestError('Body must be a JSON object');
  // Only a body sent as application/json is parsed as JSON (core/content-type.ts).
  checkJsonContentType(contentType);
  // Bounded depth, no prototype-named keys, storable numbers: see core/json-input.ts.
  return parseJsonInput(bytes.toString('utf8'));
}

/**
 * The per-route authentication rules the cached Allow cannot carry (its cache outlives a token
 * and is shared by every method: https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html).
 * Each refusal is a 401, so it runs before the request is counted.
 */
function checkAuthentication(route: RouteSpec, caller: AuthenticatedEntity, nowSeconds: number): void {
  if (caller.expiresAt !== undefined && isExpired(caller.expiresAt, nowSeconds)) {
    // The authorizer cache can outlive the token; expiry stays exact here.
    throw new TokenExpiredError('Token expired');
  }
  if (route.requiresSub && !caller.sub) throw new MissingRequiredClaimError('This operation needs a token with sub (an end user)');
}

/** Scopes: a 403 to an authenticated caller, which counts (as API Gateway meters it). */
function checkPermissions(route: RouteSpec, caller: AuthenticatedEntity): void {
  for (const scope of route.scopes ?? []) {
    if (!caller.scope.includes(scope)) throw new InsufficientPermissionsError(`This operation needs scope ${scope}`);
  }
}

/** One function's implementations, exactly one per route the table gives it. */
export type OperationTable<F extends ServedFunction> = { readonly [K in OperationIdOf<F>]: Operation };

export function httpHandler<F extends ServedFunction>(fn: F, operations: OperationTable<F>, options: HttpOptions = {}): IntegrationHandler {
  const clock = options.clock ?? Date.now;
  const byId: Readonly<Record<string, Operation>> = operations;
  const base = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const route: RouteSpec | undefined = ROUTES.find(
      (r) => r.function === fn && r.path === event.resource && r.method === event.httpMethod,
    );
    const op = route ? byId[route.operation] : undefined;
    if (!route || !op) return withRequestId(errorResult(new GatewayError('not_found', 'No such route'), route?.errorFormat), event);
    // Every route refuses an oversized body, read or not: API Gateway itself accepts up to 10 MB.
    if (event.body && bodyBytes(event).length > MAX_BODY_BYTES) throw new InvalidRequestError('Body over 64 KiB');
    let parsed: { value: unknown } | undefined;
    const req: ApiRequest = {
      event,
      route,
      params: inputMap(event.pathParameters),
      headers: inputMap(event.headers, true),
      query: inputMap(event.queryStringParameters),
      json: () => (parsed ??= { value: parseBody(event, req.headers['content-type']) }).value,
    };
    const ctx = event.requestContext?.authorizer;
    if (route.auth === 'jwt-or-api-key' && ctx?.[AUTH_KIND_KEY] === API_KEY_AUTH_KIND) {
      // Only these routes accept the API-key context; anywhere else it is no authentication.
      req.apiKeyClient = parseClientName(ctx.clientName);
      const active = options.checkApiKeyClient ? options.checkApiKeyClient(req.apiKeyClient) : Promise.resolve();
      if (options.admit) req.quota = await options.admit(req.apiKeyClient, active);
      else await active;
    } else if (route.auth === 'jwt' || route.auth === 'jwt-or-api-key') {
      const caller = fromAuthorizerContext(ctx);
      checkAuthentication(route, caller, Math.floor(clock() / 1000));
      const authenticated = options.checkCaller ? options.checkCaller(caller) : Promise.resolve();
      // Counted only once every 401 check passed (contract: no 401 is ever counted).
      if (options.admit) req.quota = await options.admit(caller.clientName, authenticated);
      else await authenticated;
      checkPermissions(route, caller);
      req.caller = caller;
    }
    const res = await op(req);
    return {
      statusCode: res.status,
      headers: { ...(res.raw === undefined ? JSON_HEADERS : {}), ...res.headers, ...requestIdHeader(event) },
      body: res.raw ?? (res.body === undefined ? '' : JSON.stringify(res.body)),
    };
  };
  return middy(base).onError(async (request) => {
    const err = request.error;
    const event = request.event as APIGatewayProxyEvent | undefined;
    const format = ROUTES.find((r) => r.path === event?.resource && r.method === event?.httpMethod)?.errorFormat;
    if (err instanceof GatewayError) {
      if (err.status >= 500) logger.error('request failed', { code: err.code, cause: err.cause instanceof Error ? String(err.cause) : '' });
      request.response = withRequestId(errorResult(err, format), event);
    } else {
      // Never a stack trace to the caller: a bug answers like an unavailable dependency.
      logger.error('unexpected error', { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
      request.response = withRequestId(
        errorResult(new GatewayError('service_unavailable', 'The service is temporarily unavailable'), format),
        event,
      );
    }
  }) as unknown as IntegrationHandler;
}
