/**
 * A DynamoDB outage must never let a request through: /authtoken answers 503, and the
 * authorizer throws (AUTHORIZER_FAILURE → 503) instead of allowing. The gateway reaches
 * DynamoDB Local through a TCP relay the test can cut.
 */
import net from 'node:net';
import { signHs256 } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

function relay(target: URL): Promise<{ endpoint: string; cut(): void }> {
  const sockets = new Set<net.Socket>();
  let open = true;
  const server = net.createServer((client) => {
    if (!open) return client.destroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
        cut: () => {
          open = false;
          for (const s of sockets) s.destroy();
          server.close();
        },
      }),
    ),
  );
}

let gw: TestGateway;
let link: { endpoint: string; cut(): void };
let secret: string;

beforeAll(async () => {
  link = await relay(new URL(process.env.DYNAMODB_ENDPOINT as string));
  gw = await startTestGateway({ dynamoEndpoint: link.endpoint, authorizerCacheTtlSeconds: 0 });
  const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'outage-app' });
  secret = created.body.clientSecret as string;
  link.cut();
});
afterAll(async () => {
  await gw.close();
});

it('answers /authtoken with 503 service_unavailable while DynamoDB is down', async () => {
  const res = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'outage-app', clientSecret: secret } });
  expect(res.status).toBe(503);
  expect(res.body.error).toBe('service_unavailable');
  expect(res.text).not.toMatch(/Error|at |ECONNREFUSED/);
});

it('never allows a request the authorizer could not check (503, not 200)', async () => {
  const token = signHs256(secret, { clientName: 'outage-app', exp: Math.floor(Date.now() / 1000) + 60 });
  const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
  expect(res.status).toBe(503);
  expect(res.body.error).toBe('service_unavailable');
});
