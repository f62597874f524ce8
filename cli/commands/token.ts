/**
 * `workoutkit token <clientName>` — POST /authtoken with the client's secret, or with `--oauth`
 * the OAuth 2.0 client-credentials grant at POST /oauth2/token (HTTP Basic), for demos and
 * smoke tests. Prints the bare token so `TOKEN=$(workoutkit token ...)` works.
 */
import { Command } from 'commander';
import { contextFor, type ContextDeps } from '../context';
import { usageError } from '../exit-codes';

export function tokenCommand(deps: ContextDeps): Command {
  return new Command('token')
    .description('get a 4-hour token for a client (POST /authtoken, or POST /oauth2/token with --oauth); prints the token')
    .argument('<clientName>')
    .option('--secret <clientSecret>', 'the client secret (prefer WK_CLIENT_SECRET: arguments end up in shell history)')
    .option('--sub <sub>', 'an end-user id: gives the token a user context (needed for /graphql, /v1/events)')
    .option('--user-info <json>', 'the userInfo object to embed, as JSON')
    .option('--oauth', 'use the OAuth 2.0 client-credentials grant (POST /oauth2/token, client_secret_basic) instead of /authtoken')
    .option('--scope <scopes>', "with --oauth: space-separated scopes, a subset of the client's (default: all of them)")
    .action(
      async (
        clientName: string,
        o: { secret?: string; sub?: string; userInfo?: string; oauth?: boolean; scope?: string },
        cmd: Command,
      ) => {
        const secret = o.secret ?? deps.io.env.WK_CLIENT_SECRET;
        if (!secret)
          throw usageError(
            'The client secret is needed',
            'set WK_CLIENT_SECRET (printed once by: workoutkit client create) or pass --secret',
          );
        if (o.oauth) {
          // The grant has no end user and no userInfo: client-credentials tokens act for the client.
          if (o.sub !== undefined || o.userInfo !== undefined)
            throw usageError('--sub and --user-info are for /authtoken tokens, not --oauth');
          const { api, out } = contextFor(cmd, deps);
          // RFC 6749 §2.3.1: each part form-urlencoded, then joined and base64-encoded.
          const credentials = `${formEncode(clientName)}:${formEncode(secret)}`;
          const issued = await api.call<{ access_token: string }>({
            method: 'POST',
            path: '/oauth2/token',
            form: { grant_type: 'client_credentials', ...(o.scope !== undefined ? { scope: o.scope } : {}) },
            headers: { authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` },
            hints: { invalid_scope: 'ask for scopes the client has: workoutkit client show <clientName>' },
          });
          out.result(issued, () => issued.access_token);
          return;
        }
        if (o.scope !== undefined) throw usageError('--scope goes with --oauth');
        let userInfo: unknown;
        if (o.userInfo !== undefined) {
          try {
            userInfo = JSON.parse(o.userInfo);
          } catch {
            throw usageError('--user-info must be a JSON object');
          }
          if (!userInfo || typeof userInfo !== 'object' || Array.isArray(userInfo)) throw usageError('--user-info must be a JSON object');
        }
        const { api, out } = contextFor(cmd, deps);
        const issued = await api.call<{ token: string }>({
          method: 'POST',
          path: '/authtoken',
          body: { clientName, clientSecret: secret, ...(o.sub ? { sub: o.sub } : {}), ...(userInfo ? { userInfo } : {}) },
        });
        out.result(issued, () => issued.token);
      },
    );
}

/** application/x-www-form-urlencoded, as URLSearchParams writes it. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
