/**
 * The authorizer context: what the authorizer tells API Gateway, and what handlers read
 * back from `requestContext.authorizer`. Values must be strings, numbers or booleans
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html), so lists travel space-separated and absent values as ''.
 */
import type { Alg } from './algorithms';
import { InvalidTokenError } from './errors';
import type { AuthenticatedEntity, TokenKind } from './verify-token';

export type AuthorizerContext = Record<string, string>;

export function toAuthorizerContext(e: AuthenticatedEntity): AuthorizerContext {
  return {
    clientName: e.clientName,
    sub: e.sub ?? '',
    scope: e.scope.join(' '),
    tokenKind: e.tokenKind,
    alg: e.alg,
    kid: e.kid ?? '',
    expiresAt: e.expiresAt === undefined ? '' : String(e.expiresAt),
    issuedAt: e.issuedAt === undefined ? '' : String(e.issuedAt),
    jti: e.jti ?? '',
  };
}

const KINDS: readonly TokenKind[] = ['issued', 'client-hs256', 'client-asymmetric'];

/** Reads the context back; anything missing means the request did not pass the authorizer. */
export function fromAuthorizerContext(ctx: Readonly<Record<string, unknown>> | null | undefined): AuthenticatedEntity {
  const str = (k: string): string => {
    const v = ctx?.[k];
    // API Gateway passes only strings, numbers and booleans through an authorizer context.
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  };
  const clientName = str('clientName');
  const tokenKind = str('tokenKind') as TokenKind;
  if (!clientName || !KINDS.includes(tokenKind)) throw new InvalidTokenError('Request was not authenticated');
  const num = (k: string): number | undefined => {
    const s = str(k);
    if (s === '') return undefined;
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined;
  };
  const e: AuthenticatedEntity = {
    clientName,
    scope: str('scope')
      .split(' ')
      .filter((s) => s.length > 0),
    tokenKind,
    alg: str('alg') as Alg,
  };
  const sub = str('sub');
  if (sub) e.sub = sub;
  const kid = str('kid');
  if (kid) e.kid = kid;
  const jti = str('jti');
  if (jti) e.jti = jti;
  const exp = num('expiresAt');
  if (exp !== undefined) e.expiresAt = exp;
  const iat = num('issuedAt');
  if (iat !== undefined) e.issuedAt = iat;
  return e;
}

/**
 * The context of an Allow for an API key (public-read routes): the client, and this marker
 * in place of the token fields. Handlers accept it only on `jwt-or-api-key` routes.
 */
export const AUTH_KIND_KEY = 'authKind';
export const API_KEY_AUTH_KIND = 'api-key';

export function apiKeyAuthorizerContext(clientName: string): AuthorizerContext {
  return { clientName, [AUTH_KIND_KEY]: API_KEY_AUTH_KIND };
}
