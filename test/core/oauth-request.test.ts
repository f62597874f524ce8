/** Reading token requests: form decoding, client authentication and the grant (RFC 6749 §2.3, §3.2, §4.4). */
import { parseBasicCredentials, parseForm, parseGrantRequest, parseScope } from '../../lambdas/core/oauth-request';

const FORM = 'application/x-www-form-urlencoded';
const basic = (raw: string) => `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;
const request = (body: string, authorization: string[] = [], contentType = FORM) =>
  parseGrantRequest({ body: Buffer.from(body, 'utf8'), contentType, authorization });
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  throw new Error('expected a refusal');
};

describe('parseBasicCredentials', () => {
  test('form-decodes the client id and the secret after splitting at the first colon (RFC 6749 §2.3.1)', () => {
    expect(parseBasicCredentials(basic('my-app:a%2Bb+c%3Ad%25'))).toEqual({ clientName: 'my-app', clientSecret: 'a+b c:d%' });
    expect(parseBasicCredentials(basic('my%2Dapp:s:e:c'))).toEqual({ clientName: 'my-app', clientSecret: 's:e:c' });
  });

  test('accepts any casing of the scheme', () => {
    expect(parseBasicCredentials(`bAsIc ${Buffer.from('x-app:y').toString('base64')}`)).toEqual({ clientName: 'x-app', clientSecret: 'y' });
  });

  test('refuses malformed credentials with invalid_request', () => {
    for (const h of ['Basic', 'Basic !!!', basic('no-colon'), basic(':secret-only'), basic('app:%E0%A4%A')]) {
      expect(codeOf(() => parseBasicCredentials(h))).toBe('invalid_request');
    }
  });
});

describe('parseForm', () => {
  test('decodes + and percent escapes as UTF-8, and skips empty pairs', () => {
    const p = parseForm(Buffer.from('a=x+y%C3%A9&&b=&c'), FORM);
    expect([...p]).toEqual([
      ['a', 'x yé'],
      ['b', ''],
      ['c', ''],
    ]);
  });

  test('accepts a UTF-8 charset parameter and refuses another type or charset', () => {
    expect(parseForm(Buffer.from('a=1'), `${FORM}; charset=UTF-8`).get('a')).toBe('1');
    expect(codeOf(() => parseForm(Buffer.from('a=1'), 'application/json'))).toBe('invalid_request');
    expect(codeOf(() => parseForm(Buffer.from('a=1'), undefined))).toBe('invalid_request');
    expect(codeOf(() => parseForm(Buffer.from('a=1'), `${FORM}; charset=iso-8859-1`))).toBe('invalid_request');
  });

  test('refuses a repeated parameter, bytes that are not UTF-8, a broken escape and too many parameters', () => {
    expect(codeOf(() => parseForm(Buffer.from('a=1&a=1'), FORM))).toBe('invalid_request');
    expect(codeOf(() => parseForm(Buffer.from([0x61, 0x3d, 0xff]), FORM))).toBe('invalid_request');
    expect(codeOf(() => parseForm(Buffer.from('a=%zz'), FORM))).toBe('invalid_request');
    const many = Array.from({ length: 40 }, (_, i) => `p${i}=1`).join('&');
    expect(codeOf(() => parseForm(Buffer.from(many), FORM))).toBe('invalid_request');
  });
});

describe('parseGrantRequest', () => {
  test('reads each client authentication method', () => {
    expect(request('grant_type=client_credentials', [basic('a-app:s')]).auth).toEqual({
      method: 'client_secret_basic',
      clientName: 'a-app',
      clientSecret: 's',
    });
    expect(request('grant_type=client_credentials&client_id=a-app&client_secret=s').auth).toEqual({
      method: 'client_secret_post',
      clientName: 'a-app',
      clientSecret: 's',
    });
    const jwt = request(
      'grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=a.b.c',
    );
    expect(jwt.auth).toEqual({ method: 'private_key_jwt', assertion: 'a.b.c' });
  });

  test('refuses two methods at once, and a client_id that differs from the Basic one', () => {
    expect(codeOf(() => request('grant_type=client_credentials&client_secret=s', [basic('a-app:s')]))).toBe('invalid_request');
    expect(codeOf(() => request('grant_type=client_credentials&client_secret=s&client_assertion=x&client_id=a-app'))).toBe(
      'invalid_request',
    );
    expect(codeOf(() => request('grant_type=client_credentials&client_id=b-app', [basic('a-app:s')]))).toBe('invalid_request');
  });

  test('answers no authentication, or another Authorization scheme, with invalid_client', () => {
    expect(codeOf(() => request('grant_type=client_credentials&client_id=a-app'))).toBe('invalid_client');
    expect(codeOf(() => request('grant_type=client_credentials', ['Bearer abc']))).toBe('invalid_client');
  });

  test('refuses a repeated Authorization header and a wrong assertion type', () => {
    expect(codeOf(() => request('grant_type=client_credentials', [basic('a-app:s'), basic('a-app:s')]))).toBe('invalid_request');
    expect(codeOf(() => request('grant_type=client_credentials&client_assertion_type=jwt&client_assertion=a.b.c'))).toBe('invalid_request');
  });

  test('needs grant_type=client_credentials: missing is invalid_request, another is unsupported_grant_type', () => {
    expect(codeOf(() => request('client_id=a-app&client_secret=s'))).toBe('invalid_request');
    for (const g of ['password', 'authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer']) {
      expect(codeOf(() => request(`grant_type=${encodeURIComponent(g)}&client_id=a-app&client_secret=s`))).toBe('unsupported_grant_type');
    }
  });
});

describe('parseScope', () => {
  test('splits on single spaces and drops duplicates', () => {
    expect(parseScope('read write read')).toEqual(['read', 'write']);
  });

  test('refuses empty tokens, quotes and backslashes (RFC 6749 §3.3) with invalid_scope', () => {
    for (const s of ['', 'read  write', ' read', 'a"b', 'a\\b']) expect(codeOf(() => parseScope(s))).toBe('invalid_scope');
  });
});
