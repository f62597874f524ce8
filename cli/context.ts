/** What every command gets: the resolved stage, an API client and a printer. */
import type { Command } from 'commander';
import { createApiClient, type ApiClient } from './api-client';
import { usageError } from './exit-codes';
import { Printer, type Io } from './output';
import type { RequestSigner } from './sigv4';
import { resolveTarget, type TargetOptions } from './target';

export interface GlobalOptions extends TargetOptions {
  adminKey?: string;
  json?: boolean;
  timeout?: string;
}

export interface CommandContext {
  readonly api: ApiClient;
  readonly out: Printer;
  readonly io: Io;
}

export interface ContextDeps {
  readonly io: Io;
  /** Test seam for SigV4 (the default is the AWS credential chain). */
  readonly signer?: RequestSigner;
}

export function contextFor(command: Command, deps: ContextDeps): CommandContext {
  const opts = command.optsWithGlobals<GlobalOptions>();
  const target = resolveTarget(opts, deps.io.env);
  let timeoutMs: number | undefined;
  if (opts.timeout !== undefined) {
    timeoutMs = Number(opts.timeout) * 1000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw usageError('--timeout is a number of seconds');
  }
  const api = createApiClient({
    target,
    env: deps.io.env,
    ...(opts.adminKey ? { adminKey: opts.adminKey } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(deps.signer ? { signer: deps.signer } : {}),
  });
  return { api, out: new Printer(deps.io, opts.json === true), io: deps.io };
}

/** Encodes one path parameter (clientName, sessionId) for a URL path. */
export const seg = (value: string): string => encodeURIComponent(value);
