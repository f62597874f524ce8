/** POST /authtoken: clientName + clientSecret → a 4-hour JWT signed by the deployment's key. */
import { authenticateClient, parseTokenRequest } from '../core/authenticate-client';
import { configuredScopes } from '../core/client-settings';
import { issueAccessToken } from '../core/issue-token';
import { depsFor, type Deps } from '../runtime/deps';
import type { RuntimeEnv } from '../runtime/env';
import { lambdaEntry } from '../runtime/entry';
import type { IntegrationHandler } from '../runtime/handler-types';
import { httpHandler } from '../runtime/http';

export function createAuthtoken(deps: Deps): IntegrationHandler {
  return httpHandler(
    {
      issueToken: async (req) => {
        const tokenRequest = parseTokenRequest(req.json());
        let scopes: string[] | undefined;
        await authenticateClient(tokenRequest, {
          lockedFor: (n) => deps.authFailures.status(n),
          recordFailure: (n) => deps.authFailures.recordFailure(n),
          liveSecrets: async (n) => {
            const record = await deps.clients.get(n, true);
            if (!record) return undefined;
            scopes = configuredScopes(record.scopes);
            return deps.clients.openSecrets(record, Math.floor(deps.clock() / 1000));
          },
        }, req.event.requestContext?.identity?.sourceIp);
        const key = await deps.signingKeys.current();
        const issued = await issueAccessToken(
          { clientName: tokenRequest.clientName, userInfo: tokenRequest.userInfo, ...(tokenRequest.sub ? { sub: tokenRequest.sub } : {}), ...(scopes ? { scopes } : {}) },
          key,
          deps.issuer,
          deps.clock(),
        );
        deps.metrics.tokenIssued('issued');
        deps.metrics.flush();
        const { jti: _jti, ...body } = issued;
        return { status: 200, body };
      },
    },
    { clock: deps.clock },
  );
}

export function createHandler(env: RuntimeEnv): IntegrationHandler {
  return createAuthtoken(depsFor(env));
}

export const handler: IntegrationHandler = lambdaEntry(createHandler);
