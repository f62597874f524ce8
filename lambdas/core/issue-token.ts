/**
 * Issuing access tokens (POST /authtoken): 4 hours, signed ES256 by the deployment's
 * current key, carrying the client's configured scopes.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKey } from './signing-key';

export const ACCESS_TOKEN_LIFETIME_SECONDS = 4 * 60 * 60;

export interface IssueRequest {
  clientName: string;
  userInfo: Record<string, unknown>;
  sub?: string;
  scopes?: readonly string[];
}

export interface IssuedToken {
  token: string;
  tokenType: 'Bearer';
  expiresIn: number;
  expiresAt: string;
  jti: string;
}

export async function issueAccessToken(req: IssueRequest, key: SigningKey, issuer: string, nowMs: number): Promise<IssuedToken> {
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + ACCESS_TOKEN_LIFETIME_SECONDS;
  const jti = randomUUID();
  const claims: Record<string, unknown> = {
    user: req.userInfo,
    clientName: req.clientName,
    token_use: 'access',
  };
  if (req.scopes && req.scopes.length > 0) claims.scope = [...req.scopes];
  let builder = new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(jti);
  if (req.sub !== undefined) builder = builder.setSubject(req.sub);
  const token = await builder.sign(key.privateKey);
  return {
    token,
    tokenType: 'Bearer',
    expiresIn: ACCESS_TOKEN_LIFETIME_SECONDS,
    expiresAt: new Date(exp * 1000).toISOString(),
    jti,
  };
}
