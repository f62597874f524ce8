/**
 * The revocation rule, one for every kind of token the deployment accepts: issued access
 * tokens, client HS256 and asymmetric tokens, and WorkoutKitTokens (launch tokens). Whoever
 * reads the state (the authorizer through its short caches, handlers and the launch check
 * strongly consistent) decides with this function, so no kind of token can escape a way of
 * revoking it.
 *
 * A token is revoked when
 *  - its `jti` is revoked for every client (operator) or among its own client's tokens
 *    (the client's self-service revocation): the store reads both items for one (clientName, jti);
 *  - its client no longer exists, or is disabled;
 *  - it was issued before its client's cut-off, or carries no `iat` while a cut-off is set
 *    (contract: a token without iat counts as issued before any cut-off).
 */
import { InvalidTokenError, TokenRevokedError } from './errors';

export interface RevocationState {
  /** The token's jti is revoked (globally or among its client's own tokens). */
  jtiRevoked: boolean;
  clientExists: boolean;
  /** The client is disabled (PATCH /admin/clients/{name} `disabled: true`). */
  clientDisabled?: boolean;
  /** Epoch seconds: the client's cut-off, if any. */
  revokedBefore?: number;
}

/** A request on behalf of the client (a token's or an API key's) is refused once it is deleted or disabled. */
export function assertClientActive(state: Pick<RevocationState, 'clientExists' | 'clientDisabled'>): void {
  if (!state.clientExists) throw new InvalidTokenError('The client no longer exists');
  if (state.clientDisabled === true) throw new InvalidTokenError('The client is disabled');
}

/** Throws the contract error for a revoked token; returns for a live one. */
export function assertNotRevoked(state: RevocationState, issuedAt: number | undefined): void {
  if (state.jtiRevoked) throw new TokenRevokedError('Token revoked');
  assertClientActive(state);
  if (state.revokedBefore !== undefined && (issuedAt === undefined || issuedAt < state.revokedBefore)) {
    throw new TokenRevokedError('Token revoked (client cut-off)');
  }
}
