/**
 * `workoutkit sessions import <file>` — upserts a catalogue of workout sessions with
 * PUT /admin/sessions/{sessionId}, a few at a time, with a progress bar and retries on
 * throttling. The file is a JSON array, `{"sessions": [...]}`, or NDJSON; each item carries
 * its `id` (or `sessionId`) and the content the operator API accepts.
 */
import { readFileSync } from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';
import { Command } from 'commander';
import type { ApiClient, ApiCall } from '../api-client';
import { contextFor, seg, type ContextDeps } from '../context';
import { CliError, EXIT, usageError } from '../exit-codes';
import { fieldTable, listTable } from '../output';
import { intOption } from './parse';

export interface SessionItem {
  readonly id: string;
  readonly body: Record<string, unknown>;
}

export interface ImportFailure {
  readonly id: string;
  readonly status?: number;
  readonly error: string;
}

export interface ImportReport {
  readonly total: number;
  readonly imported: number;
  readonly failed: number;
  readonly failures: ImportFailure[];
  /** Set when the import stopped early (operator key or IAM refused). */
  readonly aborted?: string;
}

export function parseSessionsFile(text: string, file: string): SessionItem[] {
  let items: unknown[];
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('[') || trimmed.startsWith('{"sessions"') || /^\{\s*"sessions"/.test(trimmed)) {
      const parsed = JSON.parse(trimmed) as unknown;
      items = Array.isArray(parsed) ? parsed : ((parsed as { sessions?: unknown }).sessions as unknown[]);
      if (!Array.isArray(items)) throw new SyntaxError('no sessions array');
    } else {
      items = trimmed
        .split('\n')
        .filter((l) => l.trim().length > 0)
        .map((l) => JSON.parse(l) as unknown);
    }
  } catch (err) {
    throw usageError(`${file}: not a JSON array, {"sessions": [...]} or NDJSON (${(err as Error).message})`);
  }
  const seen = new Set<string>();
  return items.map((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw usageError(`${file}: item ${i + 1} is not an object`);
    const { id, sessionId, ...body } = item as Record<string, unknown>;
    const key = id ?? sessionId;
    if (typeof key !== 'string' || key.length === 0 || key.length > 128)
      throw usageError(`${file}: item ${i + 1} needs an "id" string (1-128 characters)`);
    if (seen.has(key)) throw usageError(`${file}: session id "${key}" appears twice`);
    seen.add(key);
    return { id: key, body };
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Answers that mean "every other item will fail the same way": stop instead of hammering. */
const FATAL = new Set([401, 403]);

export async function importSessions(
  api: ApiClient,
  items: readonly SessionItem[],
  options: { concurrency: number; retries: number; onDone?: () => void },
): Promise<ImportReport> {
  const failures: ImportFailure[] = [];
  let imported = 0;
  let next = 0;
  let aborted: string | undefined;

  const putOne = async (item: SessionItem): Promise<void> => {
    const call: ApiCall = { method: 'PUT', path: `/admin/sessions/${seg(item.id)}`, body: item.body, operator: true };
    for (let attempt = 0; ; attempt++) {
      const answer = await api.send(call);
      if (answer.status < 400) {
        imported++;
        return;
      }
      const retryable = answer.status === 429 || answer.status === 503;
      if (retryable && attempt < options.retries) {
        const after = Number(answer.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 30) * 1000 : 250 * 2 ** attempt);
        continue;
      }
      const err = api.toError(call, answer);
      if (FATAL.has(answer.status)) aborted ??= `${err.message}${err.hint ? ` — ${err.hint}` : ''}`;
      failures.push({ id: item.id, status: answer.status, error: err.message });
      return;
    }
  };

  const worker = async (): Promise<void> => {
    while (aborted === undefined && next < items.length) {
      const item = items[next++] as SessionItem;
      try {
        await putOne(item);
      } catch (err) {
        // Network failures (and missing credentials) stop the import: every other item would fail alike.
        if (!(err instanceof CliError)) throw err;
        aborted ??= `${err.message}${err.hint ? ` — ${err.hint}` : ''}`;
        failures.push({ id: item.id, error: err.message });
      }
      options.onDone?.();
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, Math.max(1, items.length)) }, worker));
  return { total: items.length, imported, failed: failures.length, failures, ...(aborted ? { aborted } : {}) };
}

export function sessionsCommand(deps: ContextDeps): Command {
  const sessions = new Command('sessions').description('workout session content of a stage');
  sessions
    .command('import')
    .description('upsert every session of a file (JSON array, {"sessions": [...]} or NDJSON) with PUT /admin/sessions/{id}')
    .argument('<file>')
    .option('--concurrency <n>', 'requests in flight (1-32)', intOption('--concurrency', 1, 32), 8)
    .option('--retries <n>', 'retries per session on 429/503 (0-10)', intOption('--retries', 0, 10), 3)
    .action(async (file: string, o: { concurrency: number; retries: number }, cmd: Command) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw usageError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      const items = parseSessionsFile(text, file);
      const { api, out, io } = contextFor(cmd, deps);
      const bar =
        !out.json && io.stderrIsTTY && io.progressStream
          ? new SingleBar(
              { stream: io.progressStream, format: 'sessions {bar} {value}/{total} {percentage}% eta {eta}s', hideCursor: true },
              Presets.shades_classic,
            )
          : undefined;
      bar?.start(items.length, 0);
      let report: ImportReport;
      try {
        report = await importSessions(api, items, {
          concurrency: o.concurrency,
          retries: o.retries,
          ...(bar ? { onDone: () => bar.increment() } : {}),
        });
      } finally {
        bar?.stop();
      }
      out.result(report, () => {
        const summary = fieldTable({
          total: report.total,
          imported: report.imported,
          failed: report.failed,
          ...(report.aborted ? { aborted: report.aborted } : {}),
        });
        if (report.failures.length === 0) return summary;
        const shown = report.failures.slice(0, 20);
        const more =
          report.failures.length > shown.length ? `\n… and ${report.failures.length - shown.length} more (use --json for all)` : '';
        return `${summary}\n\n${listTable(
          ['id', 'status', 'error'],
          shown.map((f) => [f.id, f.status ?? '-', f.error]),
        )}${more}`;
      });
      if (report.failed > 0) {
        throw new CliError(EXIT.api, `${report.failed} of ${report.total} sessions were not imported`, {
          hint: report.aborted
            ? 'fix the cause above and run the import again (it is idempotent: PUT upserts)'
            : 'fix the listed items and run the import again (PUT upserts, so it is safe to repeat)',
        });
      }
    });
  return sessions;
}
