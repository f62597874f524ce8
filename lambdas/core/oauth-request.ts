/**
 * Reading a token request at POST /oauth2/token (RFC 6749 §4.4, client credentials): the
 * form body, the client authentication it carries (RFC 6749 §2.3.1 and RFC 7523 §2.2) and
 * the grant. Only syntax here; nothing is looked up. Every malformed request is a typed
 * RFC 6749 §5.2 error, never an exception of another kind.
 */
import * as v from 'valibot';
import { InvalidClientError, InvalidRequestError, InvalidScopeError, UnsupportedGrantTypeError } from './errors';

/** RFC 7523 §2.2. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const CLIENT_CREDENTIALS_GRANT = 'client_credentials';
export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

/** The body is at most 64 KiB already; this bounds the work per parameter list. */
const MAX_PARAMETERS = 32;
const MAX_SECRET_LENGTH = 256;
const MAX_CLIENT_ID_LENGTH = 64;
/** A JWT over 8 KiB is refused as a bearer token too (contract). */
const MAX_ASSERTION_LENGTH = 8192;
const MAX_SCOPES = 50;
/** RFC 6749 §3.3: scope-token = 1*NQCHAR, NQCHAR = %x21 / %x23-5B / %x5D-7E. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,64}$/;

/**
 * The form's parameters as the document states them. The form is read by parseGrantRequest,
 * not by this schema: RFC 6749 gives each refusal its own code (unsupported_grant_type,
 * invalid_scope, invalid_client) and says unknown parameters are ignored (§3.2), which the
 * loose object states; the bounds here are the ones parseGrantRequest applies.
 */
export const OAuthTokenRequest = v.looseObject({
  grant_type: v.literal(CLIENT_CREDENTIALS_GRANT),
  scope: v.optional(v.pipe(v.string(), v.description("space-separated; each must be one of the client's scopes (default: all of them)"))),
  client_id: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1),
      v.maxLength(MAX_CLIENT_ID_LENGTH),
      v.description('the clientName (client_secret_post; optional with private_key_jwt)'),
    ),
  ),
  client_secret: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_SECRET_LENGTH), v.description('client_secret_post only'))),
  client_assertion_type: v.optional(v.literal(CLIENT_ASSERTION_TYPE)),
  client_assertion: v.optional(
    v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ASSERTION_LENGTH), v.description('private_key_jwt: the signed assertion')),
  ),
});

export type ClientAuthentication =
  | { readonly method: 'client_secret_basic' | 'client_secret_post'; readonly clientName: string; readonly clientSecret: string }
  | { readonly method: 'private_key_jwt'; readonly assertion: string; readonly clientId?: string };

export interface GrantRequest {
  readonly grantType: typeof CLIENT_CREDENTIALS_GRANT;
  /** The requested scopes (deduplicated); undefined when the request named none. */
  readonly scope?: readonly string[];
  readonly auth: ClientAuthentication;
}

export interface RawTokenRequest {
  readonly body: Buffer;
  readonly contentType: string | undefined;
  /** Every Authorization header value the request carried. */
  readonly authorization: readonly string[];
}

/**
 * `application/x-www-form-urlencoded` decoding (WHATWG URL standard, which RFC 6749 appendix B
 * follows): `+` is a space, then percent-decoding as UTF-8. Malformed escapes or bytes that are
 * not UTF-8 are refused instead of being replaced, so a value never changes on the way in.
 */
export function formDecode(value: string, what: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new InvalidRequestError(`${what} is not valid form encoding`);
  }
}

/** The parameters of a form body; a repeated parameter is refused (RFC 6749 §3.2). */
export function parseForm(body: Buffer, contentType: string | undefined): Map<string, string> {
  const media = (contentType ?? '').split(';');
  if ((media[0] ?? '').trim().toLowerCase() !== 'application/x-www-form-urlencoded') {
    throw new InvalidRequestError('Content-Type must be application/x-www-form-urlencoded for a token request');
  }
  const charset = media
    .slice(1)
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='));
  if (charset !== undefined && charset.replace(/"/g, '') !== 'charset=utf-8') throw new InvalidRequestError('The form must be UTF-8');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new InvalidRequestError('The form body is not UTF-8');
  }
  const params = new Map<string, string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = formDecode(eq === -1 ? pair : pair.slice(0, eq), 'A parameter name');
    const value = formDecode(eq === -1 ? '' : pair.slice(eq + 1), `Parameter ${name.slice(0, 40)}`);
    if (params.has(name)) throw new InvalidRequestError(`Parameter ${name.slice(0, 40)} is repeated`);
    if (params.size >= MAX_PARAMETERS) throw new InvalidRequestError(`More than ${MAX_PARAMETERS} parameters`);
    params.set(name, value);
  }
  return params;
}

/**
 * HTTP Basic credentials of the token endpoint. RFC 6749 §2.3.1: the client id and the secret
 * are each form-urlencoded *before* they are joined with ':' and base64-encoded, so both are
 * form-decoded here after the split (a secret with ':' or '+' survives the round trip).
 */
export function parseBasicCredentials(header: string): { clientName: string; clientSecret: string } {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match) throw new InvalidRequestError('Malformed Basic credentials');
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new InvalidRequestError('Malformed Basic credentials');
  return {
    clientName: formDecode(decoded.slice(0, colon), 'The Basic client id'),
    clientSecret: formDecode(decoded.slice(colon + 1), 'The Basic secret'),
  };
}

/** RFC 6749 §3.3: space-delimited, case-sensitive scope tokens. */
export function parseScope(value: string): string[] {
  const tokens = value.split(' ');
  if (tokens.length > MAX_SCOPES || !tokens.every((t) => SCOPE_TOKEN.test(t))) {
    throw new InvalidScopeError('scope must be space-separated scope tokens');
  }
  return [...new Set(tokens)];
}

/** Which client authentication the request uses; more than one, or none, is refused (RFC 6749 §2.3). */
function clientAuthentication(params: Map<string, string>, authorization: readonly string[]): ClientAuthentication {
  if (authorization.length > 1) throw new InvalidRequestError('Authorization header is repeated');
  const header = authorization[0];
  const clientId = params.get('client_id');
  const secret = params.get('client_secret');
  const assertion = params.get('client_assertion');
  const assertionType = params.get('client_assertion_type');
  const used = [header !== undefined, secret !== undefined, assertion !== undefined || assertionType !== undefined].filter(Boolean).length;
  if (used > 1) throw new InvalidRequestError('Use exactly one client authentication method (RFC 6749 §2.3)');
  if (clientId !== undefined && (clientId.length === 0 || clientId.length > MAX_CLIENT_ID_LENGTH)) {
    throw new InvalidClientError('Invalid client credentials');
  }
  if (header !== undefined) {
    if (!/^basic /i.test(header)) throw new InvalidClientError('The token endpoint accepts HTTP Basic client authentication only');
    const basic = parseBasicCredentials(header);
    if (clientId !== undefined && clientId !== basic.clientName)
      throw new InvalidRequestError('client_id differs from the Basic client id');
    checkSecretShape(basic.clientName, basic.clientSecret, true);
    return { method: 'client_secret_basic', ...basic };
  }
  if (secret !== undefined) {
    if (clientId === undefined) throw new InvalidRequestError('client_secret needs client_id');
    checkSecretShape(clientId, secret, false);
    return { method: 'client_secret_post', clientName: clientId, clientSecret: secret };
  }
  if (assertion !== undefined || assertionType !== undefined) {
    if (assertionType !== CLIENT_ASSERTION_TYPE) throw new InvalidRequestError(`client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`);
    if (assertion === undefined || assertion.length === 0) throw new InvalidRequestError('client_assertion is missing');
    if (assertion.length > MAX_ASSERTION_LENGTH) throw new InvalidClientError('Client assertion over 8 KiB');
    return { method: 'private_key_jwt', assertion, ...(clientId === undefined ? {} : { clientId }) };
  }
  throw new InvalidClientError('No client authentication (HTTP Basic, client_secret or client_assertion)');
}

function checkSecretShape(clientName: string, secret: string, basic: boolean): void {
  if (clientName.length > MAX_CLIENT_ID_LENGTH || secret.length === 0 || secret.length > MAX_SECRET_LENGTH) {
    throw new InvalidClientError('Invalid client credentials', basic ? { challenge: BASIC_CHALLENGE } : {});
  }
}

/** RFC 6749 §5.2: a failed Basic authentication answers with the Basic challenge. */
export const BASIC_CHALLENGE = 'Basic realm="workoutkit", charset="UTF-8"';

export function parseGrantRequest(raw: RawTokenRequest): GrantRequest {
  const params = parseForm(raw.body, raw.contentType);
  const auth = clientAuthentication(params, raw.authorization);
  const grantType = params.get('grant_type');
  if (grantType === undefined || grantType === '') throw new InvalidRequestError('grant_type is missing');
  if (grantType !== CLIENT_CREDENTIALS_GRANT) throw new UnsupportedGrantTypeError('Only the client_credentials grant is supported');
  const scope = params.get('scope');
  return { grantType, auth, ...(scope === undefined ? {} : { scope: parseScope(scope) }) };
}
