/**
 * `npm start` runs on the embedded store (dynalite), not on DynamoDB Local: every operation the
 * handlers use must work there too (dynalite has no transactions, for one). This walks the
 * README's flows through a gateway on its own embedded dynalite.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterClientCaches } from '../support/caches';
import { runExampleFile } from '../examples/run-example';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ dynamoEndpoint: undefined });
});
afterAll(() => gw.close());

it('runs on dynalite, not on the shared DynamoDB Local', () => {
  expect(gw.gateway.store.kind).toBe('dynalite');
});

it('serves the README flows: client, token, verify, catalogue by API key, usage, keys, rotation, revocation', async () => {
  const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'dyn-app', scopes: ['read', 'write', 'settings'] });
  expect(created.status).toBe(201);
  const { clientSecret, apiKey } = created.body as { clientSecret: string; apiKey: string };

  const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'dyn-app', clientSecret, sub: 'u-1' } });
  expect(issued.status).toBe(200);
  const token = issued.body.token as string;
  expect((await gw.call('sandbox', 'GET', '/v1/auth/verify', { token })).status).toBe(200);

  const catalog = await gw.call('sandbox', 'GET', '/v1/dyn-app/catalog', { headers: { 'x-api-key': apiKey } });
  expect(catalog.status).toBe(200);
  const usage = await gw.admin('sandbox', 'GET', '/admin/clients/dyn-app/usage');
  expect(usage.status).toBe(200);
  expect(usage.body.used).toBe(2);

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'dyn-1', alg: 'ES256', use: 'sig' };
  expect((await gw.admin('sandbox', 'PUT', '/admin/clients/dyn-app/keys', { jwks: { keys: [jwk] } })).status).toBe(200);
  // The authorizer read dyn-app for the verify above; it sees the new keys after its client cache (README).
  await afterClientCaches();
  const own = await new SignJWT({ sub: 'u-2' })
    .setProtectedHeader({ alg: 'ES256', kid: 'dyn-1' })
    .setIssuer('dyn-app')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
  expect((await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: own })).body.tokenKind).toBe('client-asymmetric');

  const rotated = await gw.admin('sandbox', 'POST', '/admin/clients/dyn-app/rotate-secret', { graceSeconds: 60 });
  expect(rotated.status).toBe(200);
  const jti = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti as string;
  expect((await gw.admin('sandbox', 'POST', '/admin/revocations', { jti })).status).toBe(201);
  const revoked = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
  expect(revoked.body.error).toBe('token_revoked');

  const settings = await gw.call('sandbox', 'GET', '/v1/settings', {
    token: (await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'dyn-app', clientSecret: rotated.body.clientSecret } }))
      .body.token as string,
  });
  expect(settings.status).toBe(200);
});

it('serves the launch flow (GraphQL, launch, modified payload refused) through the example', async () => {
  const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'dyn-mobile' });
  const run = await runExampleFile('examples/mobile-launch.ts', {
    BASE_URL: gw.url('sandbox'),
    CLIENT_NAME: 'dyn-mobile',
    CLIENT_SECRET: created.body.clientSecret as string,
  });
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/modified_payload/);
});
