import fc from 'fast-check';
import { decodeBase64url, parseJwt } from '../../lambdas/core/jwt-parse';
import { b64url } from '../support/keys';

/** The straightforward definitions the hot-path code must agree with. */
function referenceDecode(part: string): Buffer | 'not base64url' | 'not canonical' {
  if (!/^[A-Za-z0-9_-]*$/.test(part) || part.length % 4 === 1) return 'not base64url';
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : 'not canonical';
}

function referenceHasDuplicateKey(text: string): boolean {
  // JSON.parse sees only the surviving member of a duplicate: count depth-1 keys by hand.
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      let s = '';
      while (text[j] !== '"') {
        s += text[j] === '\\' ? `${text[j]}${text[j + 1]}` : text[j];
        j += text[j] === '\\' ? 2 : 1;
      }
      let k = j + 1;
      while (/[ \t\r\n]/.test(text[k] ?? '')) k++;
      if (depth === 1 && text[k] === ':') keys.push(JSON.parse(`"${s}"`) as string);
      i = j;
    } else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return new Set(keys).size !== keys.length;
}

const B64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const base64urlish = fc.string({ unit: fc.constantFrom(...B64URL_CHARS, '=', '+', '/', '.', ' ', 'é'), maxLength: 40 });

describe('decodeBase64url', () => {
  it('accepts exactly the canonical unpadded base64url strings, and decodes them like Buffer', () => {
    fc.assert(
      fc.property(base64urlish, (part) => {
        const expected = referenceDecode(part);
        if (Buffer.isBuffer(expected)) expect(decodeBase64url(part, 'x').equals(expected)).toBe(true);
        else expect(() => decodeBase64url(part, 'x')).toThrow(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses a signature whose last char carries extra bits', () => {
    const canonical = Buffer.from([1, 2, 3, 4]).toString('base64url'); // 6 chars: 4 unused bits in the last
    const last = canonical.charAt(canonical.length - 1);
    const tweaked = canonical.slice(0, -1) + B64URL_CHARS[B64URL_CHARS.indexOf(last) + 1];
    expect(() => decodeBase64url(tweaked, 'signature')).toThrow('signature is not canonical base64url');
  });
});

describe('parseJwt duplicate-key check', () => {
  const token = (payload: string) => `${b64url({ alg: 'HS256' })}.${Buffer.from(payload).toString('base64url')}.c2ln`;

  it('refuses duplicate top-level claims, however they are spaced or escaped', () => {
    for (const payload of ['{"a":1,"a":2}', '{"a" :1, "b":{"a":3},"a"\n:2}', '{"\\u0061":1,"a":2}', '{"x":"\\"a\\":","a":1,"a":1}']) {
      expect(() => parseJwt(token(payload))).toThrow('duplicate JSON keys');
    }
  });

  it('accepts the same key at other depths and key-like text inside values', () => {
    for (const payload of ['{"a":{"a":1},"b":["a",{"a":2}]}', '{"a":"\\"a\\": 1","b":"a:"}', '{"a" : 1 , "b" : [ ] }']) {
      expect(parseJwt(token(payload)).payload).toEqual(JSON.parse(payload));
    }
  });

  it('agrees with a reference tokenizer on generated JSON objects', () => {
    const key = fc.constantFrom('a', 'b', 'sub', 'a"', 'a\\', 'é', ' a');
    const leaf = fc.oneof(fc.integer(), fc.constantFrom('a', '"a":', 'x\\"'), fc.boolean());
    const member = fc.tuple(key, fc.oneof(leaf, fc.array(leaf, { maxLength: 2 }), fc.dictionary(key, leaf, { maxKeys: 2 })));
    const ws = fc.constantFrom('', ' ', '\n', '\t ');
    fc.assert(
      fc.property(fc.array(fc.tuple(member, ws), { maxLength: 5 }), (members) => {
        const text = `{${members.map(([[k, v], w]) => `${JSON.stringify(k)}${w}:${w}${JSON.stringify(v)}`).join(',')}}`;
        const dup = referenceHasDuplicateKey(text);
        if (dup) expect(() => parseJwt(token(text))).toThrow('duplicate JSON keys');
        else expect(parseJwt(token(text)).payload).toEqual(JSON.parse(text));
      }),
      { numRuns: 2000 },
    );
  });
});
