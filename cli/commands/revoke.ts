/** `workoutkit revoke` — one token by jti, or every token of a client issued before a time. */
import { Command } from 'commander';
import { contextFor, type ContextDeps } from '../context';
import { usageError } from '../exit-codes';
import { fieldTable } from '../output';
import { timeOption } from './parse';

export function revokeCommand(deps: ContextDeps): Command {
  return (
    new Command('revoke')
      .description(
        'revoke a token (--jti) or all of a client’s tokens issued before a time (--client); effective within the authorizer cache TTL',
      )
      .option('--jti <jti>', 'the jti of one token')
      .option('--client <clientName>', 'revoke every token of this client issued before --before')
      .option('--before <time>', 'cut-off: NumericDate seconds, ISO 8601 or "now" (default: now)', timeOption('--before'))
      // No commander default: commander passes a default value through unparsed, which would send "now" itself.
      .action(async (o: { jti?: string; client?: string; before?: string }, cmd: Command) => {
        if ((o.jti === undefined) === (o.client === undefined))
          throw usageError('Give exactly one of --jti <jti> or --client <clientName>');
        if (o.jti !== undefined && o.before !== undefined) throw usageError('--before goes with --client, not --jti');
        const body = o.jti !== undefined ? { jti: o.jti } : { clientName: o.client, issuedBefore: o.before ?? new Date().toISOString() };
        const { api, out } = contextFor(cmd, deps);
        const answer = await api.call({
          method: 'POST',
          path: '/admin/revocations',
          body,
          operator: true,
          ...(o.client ? { hints: { not_found: `no client "${o.client}" on this stage` } } : {}),
        });
        // The answer, not the request: a client cut-off never moves back, so the effective one may be later than --before.
        const shown = answer && typeof answer === 'object' ? answer : body;
        out.result(shown, () => fieldTable(shown));
        out.note('Takes effect within the authorizer cache TTL (60 s by default).');
      })
  );
}
