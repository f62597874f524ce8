/**
 * The `workoutkit` operator CLI (docs/operators.md). `runCli` is the whole program with its
 * I/O injected, so tests run it in-process; `main` wires it to the real process.
 */
import { Command, CommanderError, Option } from 'commander';
import { clientCommand } from './commands/client';
import { revokeCommand } from './commands/revoke';
import { sessionsCommand } from './commands/sessions-import';
import { signingKeyCommand } from './commands/signing-key';
import { tokenCommand } from './commands/token';
import { usageCommand } from './commands/usage';
import type { ContextDeps } from './context';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import type { Io } from './output';
import { DEFAULT_OUTPUTS_DIR, LEGACY_OUTPUTS_FILE } from './target';
import packageJson from '../package.json';

const VERSION = packageJson.version;

const EPILOG = `
Stage selection:
  --url http://127.0.0.1:3000/sandbox          the local gateway (npm start); operator key from WK_ADMIN_KEY
  --tenant acme --stage prod                   a deployed stage, URL from ${DEFAULT_OUTPUTS_DIR}/*.json or ${LEGACY_OUTPUTS_FILE}
                                               (cdk deploy <Tenant>-sandbox <Tenant>-prod --outputs-file ${DEFAULT_OUTPUTS_DIR}/<tenant>.json);
                                               operator calls are SigV4-signed with your AWS credentials
Exit codes: 0 ok, 1 the API answered with an error, 2 usage or local configuration error, 3 network error.
With --json, results are JSON on stdout and errors a JSON object on stderr.`;

export function buildProgram(deps: ContextDeps): Command {
  const program = new Command('workoutkit')
    .description('Operate WorkoutKit Gateway stages: clients, keys, revocations, usage, session content, signing keys')
    .version(VERSION, '-V, --version')
    .option('--url <baseUrl>', 'stage base URL (or WK_URL)')
    .option('--tenant <name>', 'tenant name from tenants.json (with --stage)')
    .addOption(new Option('--stage <stage>', 'stage (with --tenant)').choices(['sandbox', 'prod']))
    .option(
      '--outputs-file <path>',
      `CDK outputs file or folder of them (or WK_CDK_OUTPUTS; default ${DEFAULT_OUTPUTS_DIR}/ and ${LEGACY_OUTPUTS_FILE})`,
    )
    .addOption(
      new Option('--auth <mode>', 'operator auth: iam (SigV4), admin-key, or auto by host')
        .choices(['auto', 'iam', 'admin-key'])
        .default('auto'),
    )
    .option('--region <region>', 'AWS region for SigV4 (default: from the execute-api host)')
    .option('--admin-key <key>', 'local operator key (prefer WK_ADMIN_KEY)')
    .option('--timeout <seconds>', 'per-request timeout', '15')
    .option('--json', 'machine-readable output')
    .showHelpAfterError()
    .addHelpText('after', EPILOG);
  for (const cmd of [
    clientCommand(deps),
    revokeCommand(deps),
    usageCommand(deps),
    sessionsCommand(deps),
    tokenCommand(deps),
    signingKeyCommand(deps),
  ])
    program.addCommand(cmd);
  return program;
}

function applyToAll(cmd: Command, io: Io): void {
  cmd.exitOverride();
  cmd.configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  for (const sub of cmd.commands) applyToAll(sub, io);
}

function report(err: CliError, io: Io, json: boolean): void {
  if (json) {
    const body = {
      error: err.code ?? (err.exitCode === EXIT.network ? 'network_error' : 'usage_error'),
      message: err.message,
      ...(err.status ? { status: err.status } : {}),
      ...(err.hint ? { hint: err.hint } : {}),
      exitCode: err.exitCode,
    };
    io.stderr(`${JSON.stringify(body)}\n`);
  } else {
    io.stderr(`error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
  }
}

export async function runCli(argv: readonly string[], deps: ContextDeps): Promise<ExitCode> {
  const { io } = deps;
  const program = buildProgram(deps);
  applyToAll(program, io);
  const json = argv.includes('--json');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every other parse failure is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliError) {
      report(err, io, json);
      return err.exitCode;
    }
    io.stderr(`error: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.api;
  }
}

export function main(): void {
  const io: Io = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
    progressStream: process.stderr,
  };
  runCli(process.argv.slice(2), { io }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exitCode = EXIT.api;
    },
  );
}
