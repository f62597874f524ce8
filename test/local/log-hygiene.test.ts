/**
 * Logs and EMF lines never carry a token, a secret, an API key or an Authorization header:
 * captured from stdout/stderr with the logger at DEBUG and metrics on, around real requests.
 */
import { logger } from '../../lambdas/runtime/logger';
import { signHs256 } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
const captured: string[] = [];
const restore: (() => void)[] = [];

beforeAll(async () => {
  process.env.WK_EMIT_METRICS = '1';
  gw = await startTestGateway();
  for (const stream of [process.stdout, process.stderr]) {
    const spy = jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    restore.push(() => spy.mockRestore());
  }
  logger.setLogLevel('DEBUG');
});
afterAll(async () => {
  logger.setLogLevel('SILENT');
  for (const r of restore) r();
  delete process.env.WK_EMIT_METRICS;
  await gw.close();
});

it('writes log and metric lines for a request, none containing the token, secret or API key', async () => {
  const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'hygiene' });
  const secret = created.body.clientSecret as string;
  const apiKey = created.body.apiKey as string;
  const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'hygiene', clientSecret: secret } });
  const token = issued.body.token as string;
  expect((await gw.call('sandbox', 'GET', '/v1/auth/verify', { token })).status).toBe(200);
  const forged = signHs256('not-the-secret', { clientName: 'hygiene' });
  expect((await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: forged })).status).toBe(401);

  const out = captured.join('');
  // Something was logged and measured, so the absence checks below are not vacuous.
  expect(out).toContain('"Authorizations"');
  expect(out).toContain('"invalid_signature"');
  expect(out).toContain('"TokensIssued"');
  expect(out).toContain('"message":"denied"');
  for (const secretValue of [token, forged, secret, apiKey, token.split('.')[2] as string]) {
    expect(out).not.toContain(secretValue);
  }
  expect(out.toLowerCase()).not.toContain('bearer ');
});
