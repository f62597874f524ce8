/**
 * POST /oauth2/token: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4). The client
 * authenticates with HTTP Basic, with client_id + client_secret in the form, or with a signed
 * assertion (RFC 7523 private_key_jwt); the lock-out rule of /authtoken covers all three. The
 * token is the one /authtoken issues, so everything downstream accepts it unchanged.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { withLockout } from '../core/authenticate-client';
import { tokenEndpointOf } from '../core/authorization-server-metadata';
import { CLOCK_SKEW_SECONDS } from '../core/claims';
import { claimedClientName, verifyClientAssertion } from '../core/client-assertion';
import { InvalidClientError, InvalidScopeError } from '../core/errors';
import { issueAccessToken } from '../core/issue-token';
import { configuredScopes } from '../core/client-settings';
import { BASIC_CHALLENGE, parseGrantRequest, type ClientAuthentication } from '../core/oauth-request';
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';
import { AssertionReplayStore } from '../store/assertion-replay-store';
import { authenticateWithSecret, lockoutOf } from './client-credentials';

function bodyOf(event: APIGatewayProxyEvent): Buffer {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
}

/** Every Authorization value: a repeated header must be refused, not silently take the last. */
function authorizationValues(event: APIGatewayProxyEvent): string[] {
  const values: string[] = [];
  for (const [name, list] of Object.entries(event.multiValueHeaders ?? {})) {
    if (name.toLowerCase() === 'authorization') values.push(...(list ?? []));
  }
  if (values.length > 0) return values;
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() === 'authorization' && value !== undefined) values.push(value);
  }
  return values;
}

export function oauthToken(deps: Deps): Operation {
  const replays = new AssertionReplayStore(deps.doc, deps.env.TABLE_NAME, deps.clock);
  const audience = { issuer: deps.issuer, tokenEndpoint: tokenEndpointOf(deps.issuer) };

  /** The authenticated clientName and its configured scopes. */
  const authenticate = async (
    auth: ClientAuthentication,
    sourceIp: string | undefined,
  ): Promise<{ clientName: string; scopes: readonly string[] | undefined }> => {
    if (auth.method !== 'private_key_jwt') {
      const challenge = auth.method === 'client_secret_basic' ? BASIC_CHALLENGE : undefined;
      const { scopes } = await authenticateWithSecret(deps, auth, sourceIp, challenge);
      return { clientName: auth.clientName, scopes };
    }
    const clientName = claimedClientName(auth.assertion, auth.clientId);
    return withLockout(clientName, sourceIp, lockoutOf(deps), async () => {
      const now = Math.floor(deps.clock() / 1000);
      const verified = await verifyClientAssertion(auth.assertion, clientName, deps.clientDirectory, audience, now);
      // Kept while the assertion could still pass the exp check (its exp plus the clock skew).
      if (!(await replays.claim(clientName, verified.jti, verified.expiresAt + CLOCK_SKEW_SECONDS))) {
        throw new InvalidClientError('Client assertion already used (jti)');
      }
      return { clientName, scopes: verified.client.scopes };
    });
  };

  return async (req) => {
    const grant = parseGrantRequest({
      body: bodyOf(req.event),
      contentType: req.headers['content-type'],
      authorization: authorizationValues(req.event),
    });
    const client = await authenticate(grant.auth, req.event.requestContext?.identity?.sourceIp);
    const allowed = configuredScopes(client.scopes);
    const scopes = grant.scope ?? allowed;
    const outside = scopes.find((s) => !allowed.includes(s));
    if (outside !== undefined) throw new InvalidScopeError(`Scope ${outside} is not among the client's scopes`);
    const issued = await issueAccessToken(
      { clientName: client.clientName, userInfo: {}, scopes },
      await deps.signingKeys.current(),
      deps.issuer,
      deps.clock(),
    );
    deps.metrics.tokenIssued('issued');
    deps.metrics.flush();
    return {
      status: 200,
      // RFC 6749 §5.1: the answer carries a credential, so no cache may keep it.
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: { access_token: issued.token, token_type: issued.tokenType, expires_in: issued.expiresIn, scope: scopes.join(' ') },
    };
  };
}
