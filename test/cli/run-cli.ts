/** Runs the CLI in-process with captured output, as a script would see it. */
import { runCli } from '../../cli/main';
import type { RequestSigner } from '../../cli/sigv4';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json(): Record<string, unknown>;
}

export async function cli(argv: readonly string[], env: NodeJS.ProcessEnv = {}, signer?: RequestSigner): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    io: { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env, stderrIsTTY: false },
    ...(signer ? { signer } : {}),
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}
