/**
 * docs/payload-digest-vectors.json: literal input → canonical JSON → digest triples for SDK
 * ports, checked against the exported functions, and the coverage the docs promise.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson, payloadDigest } from '../../lambdas/core/payload-digest';

interface Vector {
  name: string;
  covers: string;
  input: unknown;
  canonical: string;
  digest: string;
}
const file = path.resolve(__dirname, '../../docs/payload-digest-vectors.json');
const { vectors } = JSON.parse(readFileSync(file, 'utf8')) as { vectors: Vector[] };

test.each(vectors.map((v) => [v.name, v] as const))('%s: canonicalJson and payloadDigest reproduce the literal values', (_name, v) => {
  expect(canonicalJson(v.input)).toBe(v.canonical);
  expect(payloadDigest(v.input)).toBe(v.digest);
  // The digest is of the canonical text's UTF-8 bytes, nothing else.
  expect(createHash('sha256').update(Buffer.from(v.canonical, 'utf8')).digest('base64url')).toBe(v.digest);
});

describe('the vectors cover what SDK ports get wrong', () => {
  const all = vectors.map((v) => v.canonical).join('\n');
  test.each([
    ['an unescaped "/" in a URL', (s: string) => s.includes('https://') && !s.includes('\\/')],
    ['an escaped quote and backslash', (s: string) => s.includes('\\"') && s.includes('\\\\')],
    ['short control escapes', (s: string) => ['\\b', '\\t', '\\n', '\\f', '\\r'].every((e) => s.includes(e))],
    ['a \\u00xx control escape in lower-case hex', (s: string) => /\\u001f/.test(s)],
    ['literal non-ASCII of the BMP', (s: string) => /[\u00e9\u6771]/.test(s)],
    ['a literal astral character', (s: string) => /[\u{1F300}-\u{1FAFF}]/u.test(s)],
    ['literal U+2028 and U+2029', (s: string) => s.includes('\u2028') && s.includes('\u2029')],
    ['ECMAScript number forms', (s: string) => s.includes('1e+21') && s.includes('1e-7')],
  ])('%s', (_what, holds) => {
    expect(holds(all)).toBe(true);
  });

  test('a key order that a code-point sort gets wrong (UTF-16 code units decide)', () => {
    const v = vectors.find((x) => x.name === 'key-sort-by-utf16');
    expect(v).toBeDefined();
    const keys = Object.keys(JSON.parse(v?.canonical ?? '{}') as object);
    expect(keys.indexOf('😀')).toBeLessThan(keys.indexOf('\ue000'));
    const byCodePoint = [...keys].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
    expect(byCodePoint).not.toEqual(keys);
  });

  test('at least one whole session payload as the REST route serves it', () => {
    expect(vectors.some((v) => v.name.startsWith('session-') && (v.input as { id?: unknown }).id !== undefined)).toBe(true);
  });
});
