/** How the CLI prints: raw JSON for scripts (`--json`), aligned tables for people. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Progress bars only when stderr is a terminal. */
  readonly stderrIsTTY: boolean;
  /** Where cli-progress draws; undefined in tests. */
  readonly progressStream?: NodeJS.WritableStream;
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(cell).join(', ');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '-';
}

/** Two columns, one line per field; nested objects flattened one level (`quota.limit`). */
export function fieldTable(record: Readonly<Record<string, unknown>>): string {
  const rows: [string, string][] = [];
  for (const [key, value] of Object.entries(record)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) rows.push([`${key}.${k}`, cell(v)]);
    } else {
      rows.push([key, cell(value)]);
    }
  }
  const width = Math.max(0, ...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/** A table with a header row, for lists. */
export function listTable(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [columns.map(String), ...rows.map((r) => r.map(cell))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export class Printer {
  constructor(
    private readonly io: Io,
    readonly json: boolean,
  ) {}

  /** The command's result: JSON as the API answered it, or the human form. */
  result(value: unknown, human: () => string): void {
    this.io.stdout(`${this.json ? JSON.stringify(value, null, 2) : human()}\n`);
  }

  /** A side note for people (never on stdout, never in --json mode). */
  note(text: string): void {
    if (!this.json) this.io.stderr(`${text}\n`);
  }
}
