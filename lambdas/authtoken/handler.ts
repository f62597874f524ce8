/**
 * POST /authtoken (clientName + clientSecret in JSON) and POST /oauth2/token (the OAuth 2.0
 * client-credentials grant): both answer with a 4-hour JWT signed by the deployment's key.
 */
import { parseTokenRequest } from '../core/authenticate-client';
import { issueAccessToken } from '../core/issue-token';
import { depsFor, type Deps } from '../runtime/deps';
import type { RuntimeEnv } from '../runtime/env';
import { lambdaEntry } from '../runtime/entry';
import type { IntegrationHandler } from '../runtime/handler-types';
import { httpHandler } from '../runtime/http';
import { authenticateWithSecret } from './client-credentials';
import { oauthToken } from './oauth-token';

export function createAuthtoken(deps: Deps): IntegrationHandler {
  return httpHandler(
    'authtoken',
    {
      issueToken: async (req) => {
        const tokenRequest = parseTokenRequest(req.json());
        const { scopes } = await authenticateWithSecret(deps, tokenRequest, req.event.requestContext?.identity?.sourceIp);
        const key = await deps.signingKeys.current();
        const issued = await issueAccessToken(
          {
            clientName: tokenRequest.clientName,
            userInfo: tokenRequest.userInfo,
            ...(tokenRequest.sub ? { sub: tokenRequest.sub } : {}),
            ...(scopes ? { scopes } : {}),
          },
          key,
          deps.issuer,
          deps.clock(),
        );
        deps.metrics.tokenIssued('issued');
        deps.metrics.flush();
        const { jti: _jti, ...body } = issued;
        return { status: 200, body };
      },
      oauthToken: oauthToken(deps),
    },
    { clock: deps.clock },
  );
}

export function createHandler(env: RuntimeEnv): IntegrationHandler {
  return createAuthtoken(depsFor(env, 'authtoken'));
}

export const handler: IntegrationHandler = lambdaEntry(createHandler);
