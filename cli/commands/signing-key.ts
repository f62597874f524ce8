/**
 * `workoutkit signing-key rotate` — rotates the deployment's own token-signing key
 * (POST /admin/signing-keys/rotate): the new key is published at once and signs after the lead.
 */
import { Command, InvalidArgumentError } from 'commander';
import { contextFor, type ContextDeps } from '../context';
import { MAX_LEAD_SECONDS, MIN_LEAD_SECONDS } from '../../lambdas/core/signing-key-rotation';
import { fieldTable } from '../output';

// The server's bounds (docs/key-rotation.md), checked here too so a typo never reaches the stage.

function leadOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < MIN_LEAD_SECONDS || n > MAX_LEAD_SECONDS) {
    throw new InvalidArgumentError(`--lead is whole seconds from ${MIN_LEAD_SECONDS} to ${MAX_LEAD_SECONDS}`);
  }
  return n;
}

interface RotationAnswer {
  kid?: unknown;
  activatesAt?: unknown;
  retiring?: unknown;
}

export function signingKeyCommand(deps: ContextDeps): Command {
  const cmd = new Command('signing-key').description("the deployment's own token-signing key");
  cmd
    .command('rotate')
    .description('publish a new signing key now; it signs from activatesAt, the old one retires a day later')
    .option(
      '--lead <seconds>',
      `seconds until the new key signs (${MIN_LEAD_SECONDS}..${MAX_LEAD_SECONDS}; server default 3600)`,
      leadOption,
    )
    .action(async (o: { lead?: number }, sub: Command) => {
      const { api, out } = contextFor(sub, deps);
      const answer = await api.call<RotationAnswer>({
        method: 'POST',
        path: '/admin/signing-keys/rotate',
        body: o.lead === undefined ? {} : { leadSeconds: o.lead },
        operator: true,
        hints: { conflict: 'a rotation is already pending: the new key signs from its activatesAt; rotate again after that' },
      });
      const retiring = Array.isArray(answer.retiring) ? (answer.retiring as { kid?: unknown; retiresAt?: unknown }[]) : [];
      out.result(answer, () =>
        fieldTable({
          kid: answer.kid,
          activatesAt: answer.activatesAt,
          retiring: retiring.map((r) => `${String(r.kid)} until ${String(r.retiresAt)}`).join(', ') || '-',
        }),
      );
      out.note('Verifiers see the new key in the JWKS at once; nothing else to do.');
    });
  return cmd;
}
