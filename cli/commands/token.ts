/**
 * `workoutkit token <clientName>` — POST /authtoken with the client's secret, for demos and
 * smoke tests. Prints the bare token so `TOKEN=$(workoutkit token ...)` works.
 */
import { Command } from 'commander';
import { contextFor, type ContextDeps } from '../context';
import { usageError } from '../exit-codes';

export function tokenCommand(deps: ContextDeps): Command {
  return new Command('token')
    .description('get a 4-hour token for a client (POST /authtoken); prints the token')
    .argument('<clientName>')
    .option('--secret <clientSecret>', 'the client secret (prefer WK_CLIENT_SECRET: arguments end up in shell history)')
    .option('--sub <sub>', 'an end-user id: gives the token a user context (needed for /graphql, /v1/events)')
    .option('--user-info <json>', 'the userInfo object to embed, as JSON')
    .action(async (clientName: string, o: { secret?: string; sub?: string; userInfo?: string }, cmd: Command) => {
      const secret = o.secret ?? deps.io.env.WK_CLIENT_SECRET;
      if (!secret) throw usageError('The client secret is needed', 'set WK_CLIENT_SECRET (printed once by: workoutkit client create) or pass --secret');
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
    });
}
