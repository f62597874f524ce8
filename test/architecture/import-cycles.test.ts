/**
 * No import cycle among the project's modules, counting `import type` too. ESLint's
 * import-x/no-cycle (npm run lint) skips type-only imports, since they vanish at run time; a
 * cycle of types still ties two modules together (neither can move or change alone), which is
 * what this test refuses.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const DIRS = ['lambdas', 'lib', 'local', 'cli', 'bench', 'scripts', 'bin', 'test', 'portal'];

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : tsFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** The project files a module imports (relative specifiers only: packages cannot close a cycle through us). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .filter((i) => i.fileName.startsWith('.'))
    .map((i) => path.resolve(path.dirname(file), i.fileName))
    .map((t) => [`${t}.ts`, path.join(t, 'index.ts'), t].find((c) => c.endsWith('.ts') && existsSync(c)))
    .filter((f): f is string => f !== undefined);
}

function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') found.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return found;
}

describe('the import graph', () => {
  const files = DIRS.flatMap((d) => tsFiles(path.join(ROOT, d)));
  const graph = new Map(files.map((f) => [f, importsOf(f)]));

  it('reads the project, type-only imports included', () => {
    expect(files.length).toBeGreaterThan(100);
    // client-store.ts has `import type { StoredApiKey } from './api-key-store'` and no other import of it.
    expect(graph.get(path.join(ROOT, 'lambdas/store/client-store.ts'))).toContain(path.join(ROOT, 'lambdas/store/api-key-store.ts'));
  });

  it('reports a cycle with its path', () => {
    const a = '/x/a.ts';
    const b = '/x/b.ts';
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([[a, b, a]]);
  });

  it('has no cycle, type-only imports included', () => {
    expect(cycles(graph).map((c) => c.map((f) => path.relative(ROOT, f)).join(' -> '))).toEqual([]);
  });
});
