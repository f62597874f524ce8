/** `workoutkit client create|show|update|delete|rotate-secret|keys set` — the operator API's client routes. */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { contextFor, seg, type ContextDeps } from '../context';
import { usageError } from '../exit-codes';
import { fieldTable } from '../output';
import { intOption, listOption } from './parse';

const noClient = (name: string) => ({ not_found: `no client "${name}" on this stage — create it with: workoutkit client create ${name}` });

function readFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw usageError(`Cannot read ${what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

function quotaOption(value: string): { limit: number; period: string } {
  const m = /^(\d+)\/(DAY|WEEK|MONTH)$/i.exec(value);
  if (!m) throw usageError(`--quota is <limit>/<DAY|WEEK|MONTH>, e.g. 10000/DAY (got ${value})`);
  return { limit: Number(m[1]), period: (m[2] as string).toUpperCase() };
}

interface CreateOptions {
  scopes?: string[];
  require?: string[];
  maxLifetime?: number;
  audience?: string;
  quota?: { limit: number; period: string };
  tier?: string;
}

interface UpdateOptions {
  tier?: string;
  quota?: { limit: number; period: string };
  removeQuota?: boolean;
  scopes?: string[];
  require?: string[];
  maxLifetime?: number;
  audience?: string;
  disable?: boolean;
  enable?: boolean;
}

export function clientCommand(deps: ContextDeps): Command {
  const client = new Command('client').description('create and manage API clients (integrators) of a stage');

  client
    .command('create')
    .description('create a client; its secret is printed once')
    .argument('<clientName>', '3-64 of [a-z0-9-]')
    .option('--scopes <list>', 'comma-separated scopes the client may hold (e.g. read,write,settings)', listOption)
    .option('--require <claims>', 'claims its tokens must carry: exp,iat,iss,aud', listOption)
    .option('--max-lifetime <seconds>', 'maximum token lifetime (exp - iat)', intOption('--max-lifetime'))
    .option('--audience <aud>', 'the aud its tokens must name')
    .option('--quota <limit/period>', 'request quota, e.g. 10000/DAY', quotaOption)
    .option('--tier <name>', "throttle tier: one of the stage's tiers in tenants.json (default: default)")
    .action(async (clientName: string, o: CreateOptions, cmd: Command) => {
      const { api, out } = contextFor(cmd, deps);
      const body = {
        clientName,
        ...(o.scopes ? { scopes: o.scopes } : {}),
        ...(o.require ? { requiredClaims: o.require } : {}),
        ...(o.maxLifetime !== undefined ? { maxTokenLifetimeSeconds: o.maxLifetime } : {}),
        ...(o.audience ? { audience: o.audience } : {}),
        ...(o.quota ? { quota: o.quota } : {}),
        ...(o.tier ? { tier: o.tier } : {}),
      };
      const created = await api.call({ method: 'POST', path: '/admin/clients', body, operator: true });
      out.result(created, () => fieldTable(created));
      out.note('The clientSecret (and apiKey, if any) is shown only this once: store it in the integrator’s secret manager now.');
    });

  client
    .command('show')
    .description('a client’s settings (never its secret)')
    .argument('<clientName>')
    .action(async (clientName: string, _o: unknown, cmd: Command) => {
      const { api, out } = contextFor(cmd, deps);
      const shown = await api.call({
        method: 'GET',
        path: `/admin/clients/${seg(clientName)}`,
        operator: true,
        hints: noClient(clientName),
      });
      out.result(shown, () => fieldTable(shown));
    });

  client
    .command('update')
    .description("change a client's tier, quota, scopes, claim policy or disabled flag (within the authorizer cache TTL)")
    .argument('<clientName>')
    .option('--tier <name>', "move the client (and its API key) to another of the stage's tiers")
    .addOption(
      new Option('--quota <limit/period>', 'set the request quota, e.g. 10000/DAY').argParser(quotaOption).conflicts('removeQuota'),
    )
    .option('--remove-quota', 'remove the client quota (the deployment quota still applies)')
    .option('--scopes <list>', 'comma-separated scopes the client may hold', listOption)
    .option('--require <claims>', 'claims its tokens must carry: exp,iat,iss,aud', listOption)
    .option('--max-lifetime <seconds>', 'maximum token lifetime (exp - iat)', intOption('--max-lifetime'))
    .option('--audience <aud>', 'the aud its tokens must name')
    .addOption(new Option('--disable', "refuse the client's tokens and API key, and /authtoken").conflicts('enable'))
    .option('--enable', 'accept them again')
    .action(async (clientName: string, o: UpdateOptions, cmd: Command) => {
      const body = {
        ...(o.tier ? { tier: o.tier } : {}),
        ...(o.removeQuota ? { quota: null } : o.quota ? { quota: o.quota } : {}),
        ...(o.scopes ? { scopes: o.scopes } : {}),
        ...(o.require ? { requiredClaims: o.require } : {}),
        ...(o.maxLifetime !== undefined ? { maxTokenLifetimeSeconds: o.maxLifetime } : {}),
        ...(o.audience ? { audience: o.audience } : {}),
        ...(o.disable ? { disabled: true } : o.enable ? { disabled: false } : {}),
      };
      if (Object.keys(body).length === 0)
        throw usageError(
          'Nothing to change: give at least one of --tier, --quota, --remove-quota, --scopes, --require, --max-lifetime, --audience, --disable, --enable',
        );
      const { api, out } = contextFor(cmd, deps);
      const updated = await api.call({
        method: 'PATCH',
        path: `/admin/clients/${seg(clientName)}`,
        body,
        operator: true,
        hints: noClient(clientName),
      });
      out.result(updated, () => fieldTable(updated));
    });

  client
    .command('delete')
    .description('delete a client: its keys, API key and counters go, its tokens stop working within the authorizer cache TTL')
    .argument('<clientName>')
    .requiredOption('--yes', 'confirm: the deletion cannot be undone')
    .action(async (clientName: string, _o: { yes: boolean }, cmd: Command) => {
      const { api, out } = contextFor(cmd, deps);
      await api.call({ method: 'DELETE', path: `/admin/clients/${seg(clientName)}`, operator: true, hints: noClient(clientName) });
      out.result(
        { clientName, deleted: true },
        () => `client ${clientName} deleted (its user events stay; see docs/quotas-and-monitoring.md)`,
      );
    });

  client
    .command('rotate-secret')
    .description('issue a new secret; the old one keeps working for the grace period')
    .argument('<clientName>')
    .option('--grace <seconds>', 'how long the previous secret stays valid (0-604800, default 86400)', intOption('--grace', 0, 604_800))
    .action(async (clientName: string, o: { grace?: number }, cmd: Command) => {
      const { api, out } = contextFor(cmd, deps);
      const rotated = await api.call({
        method: 'POST',
        path: `/admin/clients/${seg(clientName)}/rotate-secret`,
        body: o.grace === undefined ? {} : { graceSeconds: o.grace },
        operator: true,
        hints: noClient(clientName),
      });
      out.result(rotated, () => fieldTable(rotated));
      out.note('The new clientSecret is shown only this once. Both secrets work until previousValidUntil.');
    });

  const keys = client.command('keys').description('the client’s own verification keys (for its RS/ES tokens)');
  keys
    .command('set')
    .description('replace the client’s verification keys with a JWKS, a JWKS URL or a PEM')
    .argument('<clientName>')
    .addOption(new Option('--jwks <file>', 'a JWKS JSON file ({"keys": [...]}; public keys only)').conflicts(['jwksUri', 'pem']))
    .addOption(new Option('--jwks-uri <url>', 'an https URL the gateway fetches the JWKS from').conflicts(['pem']))
    .addOption(new Option('--pem <file>', 'a PEM public key or certificate'))
    .action(async (clientName: string, o: { jwks?: string; jwksUri?: string; pem?: string }, cmd: Command) => {
      let body: Record<string, unknown>;
      if (o.jwks !== undefined) {
        try {
          body = { jwks: JSON.parse(readFile(o.jwks, 'JWKS')) as unknown };
        } catch (err) {
          if (err instanceof SyntaxError) throw usageError(`${o.jwks} is not valid JSON`);
          throw err;
        }
      } else if (o.jwksUri !== undefined) body = { jwksUri: o.jwksUri };
      else if (o.pem !== undefined) body = { pem: readFile(o.pem, 'PEM') };
      else throw usageError('Give one of --jwks <file>, --jwks-uri <url> or --pem <file>');
      const { api, out } = contextFor(cmd, deps);
      const answer = await api.call({
        method: 'PUT',
        path: `/admin/clients/${seg(clientName)}/keys`,
        body,
        operator: true,
        hints: noClient(clientName),
      });
      out.result(answer ?? {}, () => (answer && typeof answer === 'object' ? fieldTable(answer) : `keys of ${clientName} replaced`));
    });

  return client;
}
