import { createHash } from 'node:crypto';
import { canonicalJson, payloadDigest } from '../../lambdas/core/payload-digest';

describe('payloadDigest', () => {
  test('is base64url without padding of SHA-256 over the RFC 8785 canonical JSON', () => {
    const payload = { title: 'Run', id: 's1', coach: { name: 'Maya', bio: null }, durationSeconds: 1800 };
    const canonical = '{"coach":{"bio":null,"name":"Maya"},"durationSeconds":1800,"id":"s1","title":"Run"}';
    expect(canonicalJson(payload)).toBe(canonical);
    expect(payloadDigest(payload)).toBe(createHash('sha256').update(canonical).digest('base64url'));
    expect(payloadDigest(payload)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('does not depend on key order or whitespace, and changes with any value', () => {
    const a = JSON.parse('{ "a": 1, "b": [1, 2, {"y": true, "x": "é"}] }');
    const b = JSON.parse('{"b":[1,2,{"x":"é","y":true}],"a":1}');
    expect(payloadDigest(a)).toBe(payloadDigest(b));
    expect(payloadDigest({ ...a, a: 2 })).not.toBe(payloadDigest(a));
  });

  test('formats numbers as RFC 8785 does (ECMAScript shortest form)', () => {
    expect(canonicalJson({ n: 1e21, m: 0.1, k: -0, i: 100 })).toBe('{"i":100,"k":0,"m":0.1,"n":1e+21}');
  });
});
