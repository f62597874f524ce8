/**
 * Which client a refused token claims to be from, and which kind of token it is, read
 * without trusting it (the signature may be the very thing that failed). Used only to file
 * the refusal under that client's recent authentication failures; never to authorize.
 */
import { CLIENT_NAME_PATTERN } from './client-name';
import { parseJwt } from './jwt-parse';
import { clientNameOf, type TokenKind } from './verify-token';

export interface TokenSubject {
  clientName: string;
  tokenKind: TokenKind;
}

/** undefined when the token is unreadable or names no well-formed client. */
export function tokenSubject(token: string, deploymentIssuer: string): TokenSubject | undefined {
  try {
    const jwt = parseJwt(token);
    if (jwt.payload.iss === deploymentIssuer) {
      const name = jwt.payload.clientName;
      return typeof name === 'string' && CLIENT_NAME_PATTERN.test(name) ? { clientName: name, tokenKind: 'issued' } : undefined;
    }
    return { clientName: clientNameOf(jwt.payload), tokenKind: jwt.header.alg === 'HS256' ? 'client-hs256' : 'client-asymmetric' };
  } catch {
    return undefined;
  }
}
