/**
 * Concurrent secret rotations: of two rotations that read the same current secret, one
 * writes and answers 200; the other answers 409 conflict instead of handing out a secret
 * that the winner's rotation would end. Both paths (operator API and the client's own
 * /v1/settings) share the rule. Over HTTP against the local gateway; a proxy in front of
 * DynamoDB Local holds the two rotations' reads of the client profile until both are waiting,
 * so they overlap for certain.
 */
import { createClient } from '../support/clients';
import { startDelayProxy, type DelayProxy } from '../support/dynamo-delay-proxy';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let proxy: DelayProxy;
let gw: TestGateway;

beforeAll(async () => {
  proxy = await startDelayProxy(process.env.DYNAMODB_ENDPOINT as string);
  gw = await startTestGateway({ dynamoEndpoint: proxy.endpoint, authorizerCacheTtlSeconds: 0 });
}, 90_000);
afterAll(async () => {
  await gw.close();
  await proxy.close();
});
afterEach(() => {
  proxy.delay = () => 0;
});

/**
 * Holds consistent reads of this client's profile item (the read of a read-modify-write; not the
 * deleted-name marker creation reads) until
 * `count` of them are waiting, then lets them all go: the rotations read the same record.
 * Later reads pass at once; a safety timeout releases the barrier if fewer ever arrive.
 */
function holdProfileReads(clientName: string, count = 2): void {
  let waiting = 0;
  let release!: () => void;
  const barrier = new Promise<void>((resolve) => {
    release = resolve;
  });
  // Generous: on a loaded machine the second request can take seconds to reach its read.
  setTimeout(() => release(), 20_000).unref();
  proxy.delay = (target, body) => {
    if (!(
      target.endsWith('.GetItem') &&
      body.includes(`"CLIENT#${clientName}"`) &&
      body.includes('"PROFILE"') &&
      body.includes('"ConsistentRead":true')
    ))
      return 0;
    waiting += 1;
    if (waiting === count) release();
    return waiting <= count ? barrier : 0;
  };
}

const tokenFor = async (clientName: string, clientSecret: string): Promise<{ status: number; token?: string }> => {
  const res = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName, clientSecret } });
  return { status: res.status, token: res.body.token as string | undefined };
};

it('answers two simultaneous operator rotations with exactly one 200; the other gets 409 conflict', async () => {
  await createClient(gw, 'sandbox', 'rot-admin-app');
  holdProfileReads('rot-admin-app');
  const answers = await Promise.all(
    [1, 2].map(() => gw.admin('sandbox', 'POST', '/admin/clients/rot-admin-app/rotate-secret', { graceSeconds: 0 })),
  );
  proxy.delay = () => 0;
  expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
  const loser = answers.find((r) => r.status === 409);
  expect(loser?.body.error).toBe('conflict');
  expect(loser?.text).not.toMatch(/clientSecret/);
  const winner = answers.find((r) => r.status === 200);
  // The winner's secret is the one that works (grace 0 ended every other at once).
  expect((await tokenFor('rot-admin-app', winner?.body.clientSecret as string)).status).toBe(200);
  // The loser may retry, and then gets the current secret.
  const retry = await gw.admin('sandbox', 'POST', '/admin/clients/rot-admin-app/rotate-secret', { graceSeconds: 0 });
  expect(retry.status).toBe(200);
  expect((await tokenFor('rot-admin-app', retry.body.clientSecret as string)).status).toBe(200);
});

it('answers two simultaneous /v1/settings rotations with exactly one 200 and one 409 conflict', async () => {
  const secret = await createClient(gw, 'sandbox', 'rot-self-app', { scopes: ['settings'] });
  const { token } = await tokenFor('rot-self-app', secret);
  holdProfileReads('rot-self-app');
  const answers = await Promise.all(
    [1, 2].map(() => gw.call('sandbox', 'POST', '/v1/settings/rotate-secret', { token: token as string, body: { graceSeconds: 0 } })),
  );
  proxy.delay = () => 0;
  expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
  expect(answers.find((r) => r.status === 409)?.body.error).toBe('conflict');
  const winner = answers.find((r) => r.status === 200);
  expect((await tokenFor('rot-self-app', winner?.body.clientSecret as string)).status).toBe(200);
});

it('lets an operator rotation and a self-service rotation race with the same rule', async () => {
  const secret = await createClient(gw, 'sandbox', 'rot-mixed-app', { scopes: ['settings'] });
  const { token } = await tokenFor('rot-mixed-app', secret);
  holdProfileReads('rot-mixed-app');
  const answers = await Promise.all([
    gw.admin('sandbox', 'POST', '/admin/clients/rot-mixed-app/rotate-secret', { graceSeconds: 60 }),
    gw.call('sandbox', 'POST', '/v1/settings/rotate-secret', { token: token as string, body: { graceSeconds: 60 } }),
  ]);
  proxy.delay = () => 0;
  expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
});

it('still merges a rotation with a concurrent change that is not a rotation (a revocation cut-off)', async () => {
  await createClient(gw, 'sandbox', 'rot-merge-app');
  holdProfileReads('rot-merge-app');
  const [rotated, revoked] = await Promise.all([
    gw.admin('sandbox', 'POST', '/admin/clients/rot-merge-app/rotate-secret', { graceSeconds: 0 }),
    gw.admin('sandbox', 'POST', '/admin/revocations', { clientName: 'rot-merge-app', issuedBefore: Math.floor(Date.now() / 1000) - 10 }),
  ]);
  proxy.delay = () => 0;
  expect(rotated.status).toBe(200);
  expect(revoked.status).toBe(201);
  expect((await tokenFor('rot-merge-app', rotated.body.clientSecret as string)).status).toBe(200);
  expect((await gw.admin('sandbox', 'GET', '/admin/clients/rot-merge-app')).body.revokedBefore).toBeDefined();
});
