/**
 * Every relative link of the README and docs/ resolves inside a clone: the file exists, it lies
 * within the repository, and a `#fragment` names a heading of the target (GitHub's anchors).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const FILES = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
].filter((f) => existsSync(path.join(ROOT, f)));

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = anchor((m[1] as string).replace(/`/g, ''));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Markdown links `[text](target)` outside code blocks and inline code, except absolute URLs and mail. */
function linksOf(markdown: string): string[] {
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] as string).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

it.each(FILES)('%s links only to files and headings inside the repository', (file) => {
  const from = path.join(ROOT, file);
  const broken: string[] = [];
  for (const link of linksOf(readFileSync(from, 'utf8'))) {
    const [target = '', fragment] = link.split('#');
    const resolved = target === '' ? from : path.resolve(path.dirname(from), decodeURIComponent(target));
    if (!resolved.startsWith(ROOT + path.sep) || !existsSync(resolved)) broken.push(link);
    else if (fragment && resolved.endsWith('.md') && !anchorsOf(resolved).has(fragment.toLowerCase())) broken.push(link);
  }
  expect(broken).toEqual([]);
});
