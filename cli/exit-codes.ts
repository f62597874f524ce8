/**
 * Exit codes scripts can rely on (docs/operators.md, "Exit codes"). They never change meaning.
 */
export const EXIT = {
  /** The operation succeeded. */
  ok: 0,
  /** The API answered with an error (4xx/5xx), or some items of a batch failed. */
  api: 1,
  /** The command line or local configuration is wrong (unknown option, missing key, unreadable file, no credentials). */
  usage: 2,
  /** The API could not be reached (connection refused, DNS, TLS, timeout). */
  network: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports and exits on: what went wrong, and what to do about it. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint?: string;
  /** The API's error code (`invalid_client`, ...), when the API answered. */
  readonly code?: string;
  readonly status?: number;
  constructor(exitCode: ExitCode, message: string, extra: { hint?: string; code?: string; status?: number; cause?: unknown } = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'CliError';
    this.exitCode = exitCode;
    if (extra.hint !== undefined) this.hint = extra.hint;
    if (extra.code !== undefined) this.code = extra.code;
    if (extra.status !== undefined) this.status = extra.status;
  }
}

export const usageError = (message: string, hint?: string): CliError =>
  new CliError(EXIT.usage, message, hint === undefined ? {} : { hint });
