/**
 * The README and docs/ name example files and CLI commands a newcomer copies: every
 * `examples/*.ts` they name exists, and every `npx workoutkit ...` names a real command with
 * options that command (or the program) declares. (The examples themselves run in test/examples,
 * the commands against the local gateway in test/cli.)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../cli/main';

const ROOT = path.resolve(__dirname, '..', '..');
const DOCS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const text = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const program = buildProgram({ io: { stdout: () => undefined, stderr: () => undefined, env: {}, stderrIsTTY: false } });
const longFlags = (cmd: Command) => cmd.options.map((o) => o.long).filter((l): l is string => l !== undefined);

/** The command a documented invocation names, and the flags it uses that no command on its path declares. */
function check(invocation: string): { command: string; unknownFlags: string[] } {
  const words = invocation.trim().split(/\s+/);
  let cmd: Command = program;
  const chain = [program];
  for (const w of words) {
    const sub = cmd.commands.find((c) => c.name() === w);
    if (!sub) break;
    cmd = sub;
    chain.push(sub);
  }
  const known = new Set(['--help', '--version', ...chain.flatMap(longFlags)]);
  const flags = words.filter((w) => w.startsWith('--')).map((w) => w.split('=')[0] as string);
  return { command: chain.map((c) => c.name()).join(' '), unknownFlags: flags.filter((f) => !known.has(f)) };
}

/** `npx workoutkit ...` (or `` `workoutkit ...``): up to a comment, an ellipsis, a backtick, a paren, a line continuation or the line end. */
function invocationsIn(markdown: string): string[] {
  return [...markdown.matchAll(/(?:npx |`)workoutkit ([^#`)\n\\]*?)(?=\s*(?:#|\.\.\.|`|\)|\\|\n|$))/g)].map((m) => m[1] as string);
}

describe('references in the README and docs/', () => {
  it.each(DOCS)('%s names only example files that exist', (file) => {
    const named = [...text(file).matchAll(/examples\/([\w.-]+\.ts)/g)].map((m) => m[1] as string);
    expect(named.filter((f) => !existsSync(path.join(ROOT, 'examples', f)))).toEqual([]);
  });

  it('name every example somewhere, so none is undocumented', () => {
    const all = DOCS.map(text).join('\n');
    const examples = readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.ts'));
    expect(examples.filter((f) => !all.includes(`examples/${f}`))).toEqual([]);
  });

  it.each(DOCS)('%s shows only workoutkit commands and options the CLI has', (file) => {
    const invocations = invocationsIn(text(file));
    for (const inv of invocations) {
      const { command, unknownFlags } = check(inv);
      expect({ inv, unknownFlags }).toEqual({ inv, unknownFlags: [] });
      // A subcommand was named unless the line only shows global flags (`npx workoutkit --help`).
      if (!inv.trim().startsWith('--')) expect({ inv, command }).not.toEqual({ inv, command: 'workoutkit' });
    }
  });

  it('the checker itself notices a wrong command or option', () => {
    expect(check('client frobnicate x').command).toBe('workoutkit client');
    expect(check('revoke --client a --after now').unknownFlags).toEqual(['--after']);
    expect(check('client keys set a --jwks f --url u').unknownFlags).toEqual([]);
    // It does find the operator guide's commands (both columns of the two-column block).
    const found = invocationsIn(text('docs/operators.md'));
    expect(found).toContain('client create acme-app');
    expect(found).toContain('revoke --client acme-app --before 2026-11-23T12:00:00Z');
    expect(found.length).toBeGreaterThanOrEqual(10);
  });
});
