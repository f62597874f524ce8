/**
 * REQUEST authorizer: bearer token in, IAM policy out. A rejected token is a Deny carrying
 * the contract code (rendered by the ACCESS_DENIED Gateway Response); a dependency failure
 * throws, which API Gateway answers as AUTHORIZER_FAILURE (503): fail closed, and nothing
 * is cached for it.
 */
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { toAuthorizerContext } from '../core/auth-context';
import { GatewayError } from '../core/errors';
import { AUTHORIZER_IDENTITY_HEADER } from '../gateway/settings';
import { depsFor, type Deps } from '../runtime/deps';
import { readRuntimeEnv, type RuntimeEnv } from '../runtime/env';
import type { AuthorizerHandler } from '../runtime/handler-types';
import { logger } from '../runtime/logger';
import { allowPolicy, denyPolicy } from './policy';

const BEARER = /^Bearer +([^\s]+)\s*$/i;

export function headerValue(headers: Record<string, string | undefined> | null, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

export function createAuthorizer(deps: Pick<Deps, 'verifyToken'>): AuthorizerHandler {
  return async (event: APIGatewayRequestAuthorizerEvent) => {
    const header = headerValue(event.headers, AUTHORIZER_IDENTITY_HEADER);
    const match = header === undefined ? null : BEARER.exec(header);
    if (!match?.[1]) return denyPolicy(event.methodArn, 'invalid_token', 'Missing or malformed bearer token');
    try {
      const entity = await deps.verifyToken(match[1]);
      return allowPolicy(entity.clientName, event.methodArn, toAuthorizerContext(entity));
    } catch (err) {
      if (err instanceof GatewayError && err.status === 401) {
        logger.info('denied', { reason: err.code });
        return denyPolicy(event.methodArn, err.code, err.message);
      }
      logger.error('authorizer failure', { error: err instanceof GatewayError ? err.code : String(err) });
      throw new Error('Authorizer dependency failure');
    }
  };
}

export function createHandler(env: RuntimeEnv): AuthorizerHandler {
  return createAuthorizer(depsFor(env));
}

let cached: AuthorizerHandler | undefined;
export const handler: AuthorizerHandler = (event, context) => (cached ??= createHandler(readRuntimeEnv()))(event, context);
