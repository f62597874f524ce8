/** examples/hs256-self-signed.ts: the `jsonwebtoken.sign(payload, clientSecret)` flow, run as a reader would. */
import { signLikeJsonwebtoken } from '../../examples/hs256-self-signed';
import { signHs256 } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';
import { runExampleFile } from './run-example';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

describe('examples/hs256-self-signed.ts', () => {
  it('signs byte for byte as jsonwebtoken does (header alg/typ, iat added, secret as UTF-8 key)', () => {
    const payload = { clientName: 'acme', sub: 'u1' };
    expect(signLikeJsonwebtoken(payload, 'sécret', 1_700_000_000)).toBe(signHs256('sécret', { ...payload, iat: 1_700_000_000 }));
  });

  it('runs against the local gateway with the env vars of its header and is verified as a client HS256 token', async () => {
    const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'example-hs256' });
    const run = await runExampleFile('examples/hs256-self-signed.ts', {
      WK_BASE_URL: gw.url('sandbox'),
      WK_CLIENT_NAME: 'example-hs256',
      WK_CLIENT_SECRET: created.body.clientSecret as string,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      clientName: 'example-hs256',
      sub: 'user-123',
      tokenKind: 'client-hs256',
      alg: 'HS256',
      stage: 'sandbox',
    });
  });

  it('exits 1 with the contract error when the secret is wrong', async () => {
    const run = await runExampleFile('examples/hs256-self-signed.ts', {
      WK_BASE_URL: gw.url('sandbox'),
      WK_CLIENT_NAME: 'example-hs256',
      WK_CLIENT_SECRET: 'wrong',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/answered 401: invalid_signature/);
  });
});
