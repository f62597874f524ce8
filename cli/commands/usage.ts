/** `workoutkit usage <clientName>` — quota consumption of a client in the current period. */
import { Command } from 'commander';
import { contextFor, seg, type ContextDeps } from '../context';
import { fieldTable } from '../output';

export function usageCommand(deps: ContextDeps): Command {
  return new Command('usage')
    .description('requests used, limit and reset time of a client’s quota')
    .argument('<clientName>')
    .action(async (clientName: string, _o: unknown, cmd: Command) => {
      const { api, out } = contextFor(cmd, deps);
      const usage = await api.call({
        method: 'GET',
        path: `/admin/clients/${seg(clientName)}/usage`,
        operator: true,
        hints: { not_found: `no client "${clientName}" on this stage (or this stage does not serve usage yet)` },
      });
      out.result(usage, () => fieldTable(usage));
    });
}
