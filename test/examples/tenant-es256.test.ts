import { generateKeyPairSync } from 'node:crypto';
import { runExample } from '../../examples/tenant-es256';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

describe('examples/tenant-es256.ts', () => {
  it('registers a generated ES256 key and authenticates with a token it signed', async () => {
    const entity = await runExample({ baseUrl: gw.url('sandbox'), adminKey: gw.gateway.stages.sandbox.adminKey, clientName: 'example-tenant' });
    expect(entity).toMatchObject({ clientName: 'example-tenant', sub: 'user-123', tokenKind: 'client-asymmetric', alg: 'ES256', stage: 'sandbox', scope: ['read'] });
  });

  it('works with a key loaded from PKCS#8 PEM, and again for an existing client', async () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const entity = await runExample({ baseUrl: gw.url('prod'), adminKey: gw.gateway.stages.prod.adminKey, clientName: 'example-tenant', privateKeyPem: pem });
    expect(entity).toMatchObject({ clientName: 'example-tenant', stage: 'prod', tokenKind: 'client-asymmetric' });
    const again = await runExample({ baseUrl: gw.url('prod'), adminKey: gw.gateway.stages.prod.adminKey, clientName: 'example-tenant', privateKeyPem: pem });
    expect(again).toMatchObject({ clientName: 'example-tenant' });
  });
});
