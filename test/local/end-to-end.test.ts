/**
 * The real handlers behind the local gateway: operator creates a client, the client gets
 * a token from /authtoken, and the authorizer + api function accept it on /v1/auth/verify.
 */
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

describe('local gateway with the real functions', () => {
  it('creates a client, issues a token and verifies it', async () => {
    const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'acme-e2e' });
    expect(created.status).toBe(201);
    const clientSecret = created.body.clientSecret as string;
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43,}$/);

    const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'acme-e2e', clientSecret, sub: 'user-1' } });
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 14400 });
    const token = issued.body.token as string;

    const verified = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ clientName: 'acme-e2e', sub: 'user-1', tokenKind: 'issued', stage: 'sandbox' });
  });

  it("refuses a sandbox token on prod, and prod does not know sandbox's clients", async () => {
    const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'acme-stages' });
    const clientSecret = created.body.clientSecret as string;
    const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'acme-stages', clientSecret } });
    const token = issued.body.token as string;

    const onProd = await gw.call('prod', 'GET', '/v1/auth/verify', { token });
    expect(onProd.status).toBe(401);
    expect(onProd.headers.get('www-authenticate')).toMatch(/^Bearer error="/);

    const prodToken = await gw.call('prod', 'POST', '/authtoken', { body: { clientName: 'acme-stages', clientSecret } });
    expect(prodToken.status).toBe(401);
    expect(prodToken.body.error).toBe('invalid_client');
  });

  it('refuses a forged token through the authorizer', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
    expect(res.status).toBe(401);
    expect(typeof res.body.error).toBe('string');
  });
});
