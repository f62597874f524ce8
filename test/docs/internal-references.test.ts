/**
 * Code and docs must make sense in a fresh clone: no "issue N" labels of the tracker the code was
 * written from, and no references to files outside the repository; AWS behaviour is cited by the
 * AWS documentation page, not by a numbered note kept elsewhere.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const DIRS = ['lambdas', 'lib', 'local', 'cli', 'bin', 'bench', 'scripts', 'portal/src', 'docs', 'examples'];
const SKIP = /(^|\/)(node_modules|cdk\.out)(\/|$)|\.generated\.ts$|\.(png|svg|json)$/;

function files(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  return readdirSync(abs).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (SKIP.test(rel)) return [];
    return statSync(path.join(ROOT, rel)).isDirectory() ? files(rel) : [rel];
  });
}

const ALL = [...DIRS.flatMap(files), 'README.md', 'CHANGELOG.md'];
const FORBIDDEN: readonly [string, RegExp][] = [
  ['a tracker label', /\bissue #?\d+\b/i],
  ['a numbered AWS note', /\bAWS-NOTES\b/],
  ['a file outside the repository', /\.\.\/shared\/|\bCONTRACT\.md\b/],
];

it.each(FORBIDDEN)('no file names %s', (_what, pattern) => {
  const hits = ALL.flatMap((file) =>
    readFileSync(path.join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim().slice(0, 100)}`] : [])),
  );
  expect(hits).toEqual([]);
});
