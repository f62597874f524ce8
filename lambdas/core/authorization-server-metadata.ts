/**
 * The deployment's OAuth 2.0 Authorization Server Metadata (RFC 8414 §2), derived from its
 * issuer identifier alone, so the published `issuer`, the tokens' `iss` and the JWKS URL
 * cannot disagree.
 */
import { ASYMMETRIC_ALGS } from './algorithms';
import { CLIENT_CREDENTIALS_GRANT, TOKEN_ENDPOINT_AUTH_METHODS } from './oauth-request';

/** Paths below the issuer (the stage's base URL); the route table serves both. */
export const TOKEN_ENDPOINT_PATH = '/oauth2/token';
export const JWKS_PATH = '/.well-known/jwks.json';
export const METADATA_PATH = '/.well-known/oauth-authorization-server';

export const tokenEndpointOf = (issuer: string): string => `${issuer}${TOKEN_ENDPOINT_PATH}`;

export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly grant_types_supported: readonly string[];
  /** RFC 8414 requires the member; no grant here uses the authorization endpoint, so it is empty. */
  readonly response_types_supported: readonly string[];
  readonly token_endpoint_auth_methods_supported: readonly string[];
  readonly token_endpoint_auth_signing_alg_values_supported: readonly string[];
  readonly scopes_supported: readonly string[];
}

export function authorizationServerMetadata(issuer: string, scopes: readonly string[]): AuthorizationServerMetadata {
  return {
    issuer,
    token_endpoint: tokenEndpointOf(issuer),
    jwks_uri: `${issuer}${JWKS_PATH}`,
    grant_types_supported: [CLIENT_CREDENTIALS_GRANT],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    // private_key_jwt only: the client's registered key types; never an HMAC algorithm.
    token_endpoint_auth_signing_alg_values_supported: [...ASYMMETRIC_ALGS],
    scopes_supported: [...scopes],
  };
}
