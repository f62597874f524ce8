/**
 * One key-acceptance policy for inline JWKS, JWKS URLs and PEM, over HTTP against the local
 * gateway (PUT /admin/clients/{clientName}/keys answers 400 invalid_request for a refused key),
 * and what a JWKS URL registration may tell its caller when the fetch fails.
 */
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, putKeys } from '../support/clients';
import { startJwksServer, type JwksServer } from '../support/jwks-server';
import { keyPair, nowSeconds, rawToken, signWith } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';
import { selfSignedCertificate } from '../support/x509';

let gw: TestGateway;
let jwks: JwksServer;
const rs = keyPair('RS256', 'rs-good');
const es = keyPair('ES256', 'es-good');
const { kid: _kid, alg: _alg, use: _use, ...rsBare } = rs.publicJwk;

beforeAll(async () => {
  [gw, jwks] = await Promise.all([startTestGateway(), startJwksServer([rs.publicJwk])]);
  await createClient(gw, 'sandbox', 'kp-app');
}, 60_000);
afterAll(async () => {
  await Promise.all([gw.close(), jwks.close()]);
});

const put = (body: unknown) => gw.admin('sandbox', 'PUT', '/admin/clients/kp-app/keys', body);
async function expectRefused(body: unknown): Promise<string> {
  const res = await put(body);
  expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
  return String(res.body.error_description);
}

const DAY = 86_400_000;
const b64n = (n: bigint) => {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex').toString('base64url');
};
const withExponent = (e: string) => ({ ...rsBare, e, kid: 'weak' });
const pemOf = (jwk: Record<string, unknown>) =>
  createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
const EXPONENTS: [string, string][] = [
  ['e = 1', 'AQ'],
  ['e = 2', 'Ag'],
  ['e = 3', 'Aw'],
  ['an even e (65538)', b64n(65538n)],
  ['e = n', rsBare.n as string],
  ['e above 2^256', b64n((1n << 256n) + 1n)],
];

describe('RSA public exponent: odd, from 65537 to 2^256-1, in every way of registering', () => {
  it.each(EXPONENTS)('refuses %s in an inline JWKS', async (_what, e) => {
    expect(await expectRefused({ jwks: { keys: [withExponent(e)] } })).toMatch(/exponent/);
  });

  it.each(EXPONENTS)('refuses %s in a PEM public key', async (_what, e) => {
    await expectRefused({ pem: pemOf(withExponent(e)) });
  });

  it.each(EXPONENTS)('refuses %s served by a JWKS URL', async (_what, e) => {
    jwks.keys = [withExponent(e)];
    try {
      await expectRefused({ jwksUri: jwks.url });
    } finally {
      jwks.keys = [rs.publicJwk];
    }
  });

  it('accepts e = 65537', async () => {
    await putKeys(gw, 'sandbox', 'kp-app', { jwks: { keys: [rs.publicJwk] } });
    await putKeys(gw, 'sandbox', 'kp-app', { pem: rs.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  });

  it('ignores an e = 1 key a registered JWKS URL serves later, so a token "signed" with the bare padded digest is refused', async () => {
    await createClient(gw, 'sandbox', 'kp-url');
    await putKeys(gw, 'sandbox', 'kp-url', { jwksUri: jwks.url });
    jwks.keys = [rs.publicJwk, withExponent('AQ')];
    try {
      // With e = 1, RSA "verification" is the identity: the PKCS#1 v1.5 encoding of the digest verifies.
      const forged = rawToken(
        { alg: 'RS256', kid: 'weak' },
        { clientName: 'kp-url', exp: nowSeconds() + 300, scope: 'settings' },
        (input) => {
          const digestInfo = Buffer.concat([
            Buffer.from('3031300d060960864801650304020105000420', 'hex'),
            createHash('sha256').update(input).digest(),
          ]);
          const k = Buffer.from(rsBare.n as string, 'base64url').length;
          return Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(k - digestInfo.length - 3, 0xff), Buffer.from([0]), digestInfo]);
        },
      );
      const refused = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: forged });
      expect(refused.status).toBe(401);
      const genuine = await gw.call('sandbox', 'GET', '/v1/auth/verify', {
        token: await signWith(rs, { clientName: 'kp-url', exp: nowSeconds() + 300 }),
      });
      expect(genuine.status).toBe(200);
    } finally {
      jwks.keys = [rs.publicJwk];
    }
  });
});

describe('EC keys on the named curves only', () => {
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey;
  it('refuses secp256k1 as a JWK and as a PEM', async () => {
    await expectRefused({ jwks: { keys: [{ ...k1.export({ format: 'jwk' }), kid: 'k1' }] } });
    await expectRefused({ pem: k1.export({ type: 'spki', format: 'pem' }).toString() });
  });
});

describe('JWK use and key_ops', () => {
  it.each([
    ['use "enc"', { use: 'enc' }],
    ['key_ops without verify', { key_ops: ['sign'] }],
    ['key_ops for encryption', { key_ops: ['encrypt', 'wrapKey'] }],
    ['key_ops that is not an array', { key_ops: 'verify' }],
    ['key_ops with duplicates', { key_ops: ['verify', 'verify'] }],
  ])('refuses %s', async (_what, extra) => {
    await expectRefused({ jwks: { keys: [{ ...es.publicJwk, ...extra }] } });
  });

  it('accepts key_ops ["verify"] with use "sig"', async () => {
    await putKeys(gw, 'sandbox', 'kp-app', { jwks: { keys: [{ ...es.publicJwk, use: 'sig', key_ops: ['verify'] }] } });
  });
});

describe('X.509 certificates only inside their validity window', () => {
  const keys = { publicKey: es.publicKey, privateKey: es.privateKey };
  const now = Date.now();
  const expired = selfSignedCertificate(keys, new Date(now - 30 * DAY), new Date(now - DAY));
  const future = selfSignedCertificate(keys, new Date(now + DAY), new Date(now + 30 * DAY));
  const valid = selfSignedCertificate(keys, new Date(now - DAY), new Date(now + 30 * DAY));

  it.each([
    ['an expired certificate', expired],
    ['a certificate not valid yet', future],
  ])('refuses %s as a PEM and as a JWK x5c', async (_what, cert) => {
    expect(await expectRefused({ pem: cert.pem })).toMatch(/validity/);
    expect(await expectRefused({ jwks: { keys: [{ ...es.publicJwk, x5c: [cert.der.toString('base64')] }] } })).toMatch(/validity/);
  });

  it("refuses an x5c certificate of another key than the JWK's", async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const cert = selfSignedCertificate(other, new Date(now - DAY), new Date(now + DAY));
    await expectRefused({ jwks: { keys: [{ ...es.publicJwk, x5c: [cert.der.toString('base64')] }] } });
  });

  it('accepts a certificate inside its window, and verifies tokens with its key', async () => {
    await putKeys(gw, 'sandbox', 'kp-app', { pem: valid.pem });
    const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', {
      token: await signWith(es, { clientName: 'kp-app', exp: nowSeconds() + 300 }, { kid: undefined }),
    });
    expect(res.status).toBe(200);
  });
});

describe('exactly one key per PEM, and nothing else', () => {
  const pem = es.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const otherPem = rs.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  it.each([
    ['trailing data', `${pem}trailing garbage\n`],
    ['leading text', `Issued to acme\n${pem}`],
    ['two public keys', `${pem}${otherPem}`],
    [
      'a key and a certificate',
      `${pem}${selfSignedCertificate({ publicKey: es.publicKey, privateKey: es.privateKey }, new Date(Date.now() - DAY), new Date(Date.now() + DAY)).pem}`,
    ],
    ['an unknown block label', pem.replace(/PUBLIC KEY/g, 'EC PARAMETERS')],
  ])('refuses a PEM with %s', async (_what, body) => {
    await expectRefused({ pem: body });
  });

  it('accepts one PEM block with surrounding white space', async () => {
    await putKeys(gw, 'sandbox', 'kp-app', { pem: `\n  ${pem}\n\n` });
  });
});

describe('JWKS URL fetch failures answer one text', () => {
  let closedPort: number;
  let textServer: http.Server;
  let textUrl: string;
  beforeAll(async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    textServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not json</html>'));
    await new Promise<void>((r) => textServer.listen(0, '127.0.0.1', () => r()));
    textUrl = `http://127.0.0.1:${(textServer.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => textServer.close(() => r())));

  it('says the same whether the connection failed, the answer was not JSON, an error status or JSON that is no JWKS', async () => {
    const refused = await expectRefused({ jwksUri: `http://127.0.0.1:${closedPort}/jwks.json` });
    const notJson = await expectRefused({ jwksUri: textUrl });
    jwks.mode = 'down';
    const status = await expectRefused({ jwksUri: jwks.url });
    jwks.mode = 'ok';
    const notJwks = await expectRefused({ jwksUri: gw.url('sandbox', '/openapi.json') });
    expect(new Set([refused, notJson, status, notJwks]).size).toBe(1);
  });
});
