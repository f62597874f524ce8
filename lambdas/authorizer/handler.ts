/**
 * REQUEST authorizer: bearer token in, IAM policy out. A rejected token is a Deny carrying
 * the contract code (rendered by the ACCESS_DENIED Gateway Response); a dependency failure
 * throws, which API Gateway answers as AUTHORIZER_FAILURE (503): fail closed, and nothing
 * is cached for it.
 *
 * An Allow carries the client's API key as `usageIdentifierKey`: with the API's key source
 * set to AUTHORIZER, that is how API Gateway picks the usage plan to meter and throttle the
 * request by. A Deny never carries it, so refused requests are never metered.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 *
 * On `jwt-or-api-key` routes (the catalog) a request without Authorization may instead carry
 * the client's API key in x-api-key (api-key-auth.ts). Refusals of tokens that name a client
 * are filed under that client's recent authentication failures (denial-log.ts).
 */
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { toAuthorizerContext } from '../core/auth-context';
import { GatewayError } from '../core/errors';
import { ROUTES } from '../gateway/routes';
import { API_KEY_HEADER, AUTHORIZER_IDENTITY_HEADER } from '../gateway/settings';
import { depsFor, type Deps } from '../runtime/deps';
import type { RuntimeEnv } from '../runtime/env';
import { lambdaEntry } from '../runtime/entry';
import type { AuthorizerHandler } from '../runtime/handler-types';
import { logger } from '../runtime/logger';
import { authorizeApiKey, CachedApiKeyLookup, type ApiKeyLookup } from './api-key-auth';
import { createDenialLog, type DenialRecorder } from './denial-log';
import { allowPolicy, denyPolicy } from './policy';

const BEARER = /^Bearer +([^\s]+)\s*$/i;

export function headerValue(headers: Record<string, string | undefined> | null, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  // Runs on every request: no entries array, and the exact spelling first.
  if (Object.hasOwn(headers, name)) return headers[name];
  for (const k in headers) if (Object.hasOwn(headers, k) && k.toLowerCase() === wanted) return headers[k];
  return undefined;
}

export type AuthorizerDeps = Pick<Deps, 'verifyToken' | 'metrics'> & {
  clientDirectory: Pick<Deps['clientDirectory'], 'usageKey'>;
  /** Files a refusal under the client the token names (bounded, never fails the Deny). */
  recordDenial?: DenialRecorder;
  /** Public-read routes only: the client of an x-api-key. */
  apiKeyLookup?: ApiKeyLookup;
};

/** Whether the method takes an API key instead of a JWT (`jwt-or-api-key` in the route table). */
function acceptsApiKey(event: APIGatewayRequestAuthorizerEvent): boolean {
  return ROUTES.some((r) => r.auth === 'jwt-or-api-key' && r.path === event.resource && r.method === event.httpMethod);
}

export function createAuthorizer(deps: AuthorizerDeps): AuthorizerHandler {
  const debugLogs = logger.getLevelName() === 'DEBUG';
  return async (event: APIGatewayRequestAuthorizerEvent) => {
    const started = performance.now();
    const elapsed = (): number => Math.round((performance.now() - started) * 100) / 100;
    try {
      const header = headerValue(event.headers, AUTHORIZER_IDENTITY_HEADER);
      // A bearer token wins when both are sent; without one, a public read may use the API key.
      if (header === undefined && deps.apiKeyLookup && acceptsApiKey(event)) {
        try {
          const result = await authorizeApiKey(event, headerValue(event.headers, API_KEY_HEADER), deps.apiKeyLookup);
          const allowed = result.usageIdentifierKey !== undefined;
          deps.metrics.authorization({ allowed, reason: allowed ? 'ok' : 'invalid_token', tokenKind: 'api-key', latencyMs: elapsed() });
          return result;
        } catch (err) {
          logger.error('authorizer failure', { error: err instanceof GatewayError ? err.code : String(err) });
          throw new Error('Authorizer dependency failure', { cause: err });
        }
      }
      const match = header === undefined ? null : BEARER.exec(header);
      if (!match?.[1]) {
        deps.metrics.authorization({ allowed: false, reason: 'invalid_token', latencyMs: elapsed() });
        return denyPolicy(event.methodArn, 'invalid_token', 'Missing or malformed bearer token');
      }
      try {
        const entity = await deps.verifyToken(match[1]);
        const usageKey = await deps.clientDirectory.usageKey(entity.clientName);
        // A client without a key still gets its Allow; API Gateway then refuses the request
        // (403, INVALID_API_KEY) because every jwt method requires a key: never unmetered.
        if (usageKey === undefined) logger.warn('client has no api key', { clientName: entity.clientName });
        deps.metrics.authorization({ allowed: true, reason: 'ok', tokenKind: entity.tokenKind, latencyMs: elapsed() });
        // Powertools reads and parses the trace id from the environment before it checks the level:
        // a debug line costs every Allow a few per cent of its CPU even when debug is off.
        if (debugLogs) logger.debug('allowed', { clientName: entity.clientName, tokenKind: entity.tokenKind });
        return allowPolicy(entity.clientName, event.methodArn, toAuthorizerContext(entity), usageKey);
      } catch (err) {
        if (err instanceof GatewayError && err.status === 401) {
          deps.metrics.authorization({ allowed: false, reason: err.code, latencyMs: elapsed() });
          logger.info('denied', { reason: err.code });
          await deps.recordDenial?.(match[1], err.code);
          return denyPolicy(event.methodArn, err.code, err.message);
        }
        logger.error('authorizer failure', { error: err instanceof GatewayError ? err.code : String(err) });
        throw new Error('Authorizer dependency failure', { cause: err });
      }
    } finally {
      deps.metrics.flush(); // one EMF line per invocation
    }
  };
}

export function createHandler(env: RuntimeEnv): AuthorizerHandler {
  return authorizerFor(depsFor(env, 'authorizer'));
}

/** The deployed authorizer over a given Deps (tests give one with their own clock or client). */
export function authorizerFor(deps: Deps): AuthorizerHandler {
  const recordDenial = createDenialLog({ issuer: deps.issuer, authLog: deps.authLog, clock: deps.clock });
  // The public-read authorizer is uncached in API Gateway: keep key lookups a few seconds here.
  const apiKeyLookup = new CachedApiKeyLookup(deps.apiKeys, deps.clock);
  return createAuthorizer({ ...deps, recordDenial, apiKeyLookup });
}

export const handler: AuthorizerHandler = lambdaEntry(createHandler);
