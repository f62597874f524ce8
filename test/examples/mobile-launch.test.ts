/** examples/mobile-launch.ts: device id, GraphQL fetch, digest, launch, and a modified payload refused — run as a reader would. */
import { startTestGateway, type TestGateway } from '../support/local-gateway';
import { runExampleFile } from './run-example';

let gw: TestGateway;
let secret: string;
beforeAll(async () => {
  gw = await startTestGateway();
  const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'example-mobile' });
  secret = created.body.clientSecret as string;
});
afterAll(() => gw.close());

describe('examples/mobile-launch.ts', () => {
  it('launches a GraphQL-fetched session with its WorkoutKitToken and shows a modified payload refused', async () => {
    const run = await runExampleFile('examples/mobile-launch.ts', {
      BASE_URL: gw.url('sandbox'),
      CLIENT_NAME: 'example-mobile',
      CLIENT_SECRET: secret,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      sessionId: 'hiit-20-core',
      type: 'WorkoutBlockSession',
      launch: { valid: true },
      modifiedPayload: { status: 401, error: 'launch_token_invalid' },
    });
    expect((out.modifiedPayload as { error_description: string }).error_description).toMatch(/^modified_payload:/);
    expect(out.payloadDigest).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('works with a TOKEN carrying sub, for another session type', async () => {
    const issued = await gw.call('sandbox', 'POST', '/authtoken', {
      body: { clientName: 'example-mobile', clientSecret: secret, sub: 'user-9' },
    });
    const run = await runExampleFile('examples/mobile-launch.ts', {
      BASE_URL: gw.url('sandbox'),
      TOKEN: issued.body.token as string,
      SESSION_ID: 'yoga-flow-15',
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ sessionId: 'yoga-flow-15', type: 'WorkoutVideoSession', launch: { valid: true } });
  });

  it('exits 1 with the GraphQL error code when the token has no sub', async () => {
    const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'example-mobile', clientSecret: secret } });
    const run = await runExampleFile('examples/mobile-launch.ts', { BASE_URL: gw.url('sandbox'), TOKEN: issued.body.token as string });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/POST \/graphql answered 401: missing_required_claim/);
  });

  it('exits 2 and says what to set without credentials', async () => {
    const run = await runExampleFile('examples/mobile-launch.ts', { BASE_URL: gw.url('sandbox') });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Set TOKEN/);
  });
});
