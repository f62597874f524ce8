/**
 * Two claim rules over HTTP against the local gateway on DynamoDB Local:
 *  - a token that carries `aud` must name this API: the client's configured audience or, for a
 *    client without one, the deployment's issuer identifier (RFC 7519 §4.1.3);
 *  - a client created without `scopes` gets ["read", "write"]; `settings` only explicitly. A
 *    client stored before that rule (a record without `scopes`) reads the same way.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '../../local/embedded-store';
import { claimsOf, createClient, putKeys } from '../support/clients';
import { keyPair, nowSeconds, signHs256, signWith } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
let doc: DynamoDBDocumentClient;
/** The deployment's issuer identifier, as its own issued tokens state it. */
let issuer: string;
const secrets: Record<string, string> = {};
const es = keyPair('ES256', 'aud-es');

beforeAll(async () => {
  gw = await startTestGateway();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(gw.gateway.store.endpoint)));
  secrets['aud-plain'] = await createClient(gw, 'sandbox', 'aud-plain');
  await putKeys(gw, 'sandbox', 'aud-plain', { jwks: { keys: [es.publicJwk] } });
  secrets['aud-own'] = await createClient(gw, 'sandbox', 'aud-own', { audience: 'https://api.acme.example/workouts' });
  secrets['scope-default'] = await createClient(gw, 'sandbox', 'scope-default');
  secrets['scope-legacy'] = await createClient(gw, 'sandbox', 'scope-legacy');
  // A record as clients were stored before every client had a scope list.
  await doc.send(
    new UpdateCommand({
      TableName: gw.gateway.stages.sandbox.env.TABLE_NAME,
      Key: { pk: 'CLIENT#scope-legacy', sk: 'PROFILE' },
      UpdateExpression: 'REMOVE scopes',
    }),
  );
  const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'aud-plain', clientSecret: secrets['aud-plain'] } });
  issuer = claimsOf(issued.body.token as string).iss as string;
}, 60_000);
afterAll(async () => {
  await gw.close();
  doc.destroy();
});

const verify = (token: string) => gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
const hs = (clientName: string, extra: Record<string, unknown>) =>
  signHs256(secrets[clientName] as string, { clientName, exp: nowSeconds() + 300, ...extra });

describe('aud, when present, must name this API', () => {
  it.each([
    ['another service', 'https://payments.other.example'],
    ['an array of other services', ['https://payments.other.example', 'urn:other']],
    ['an empty array', []],
  ])('refuses a client without an audience whose token names %s (invalid_token)', async (_what, aud) => {
    for (const token of [hs('aud-plain', { aud }), await signWith(es, { clientName: 'aud-plain', exp: nowSeconds() + 300, aud })]) {
      const res = await verify(token);
      expect([res.status, res.body.error]).toEqual([401, 'invalid_token']);
    }
  });

  it("accepts, for a client without an audience, the deployment's issuer identifier (alone or in an array) and a token without aud", async () => {
    for (const aud of [issuer, ['urn:other', issuer], undefined]) {
      const res = await verify(hs('aud-plain', aud === undefined ? {} : { aud }));
      expect(res.status).toBe(200);
    }
  });

  it("holds a client with an audience to that audience, not to the deployment's issuer identifier", async () => {
    expect((await verify(hs('aud-own', { aud: 'https://api.acme.example/workouts' }))).status).toBe(200);
    const res = await verify(hs('aud-own', { aud: issuer }));
    expect([res.status, res.body.error]).toEqual([401, 'invalid_token']);
  });
});

describe('scopes of a client created without them', () => {
  it.each(['scope-default', 'scope-legacy'])('%s: a token claiming settings and admin gets read and write only', async (clientName) => {
    const token = hs(clientName, { sub: 'u', scope: 'settings write read admin' });
    const settings = await gw.call('sandbox', 'GET', '/v1/settings', { token });
    expect([settings.status, settings.body.error]).toEqual([403, 'insufficient_permissions']);
    const verified = await verify(token);
    expect(verified.status).toBe(200);
    expect([...(verified.body.scope as string[])].sort()).toEqual(['read', 'write']);
  });

  it.each(['scope-default', 'scope-legacy'])(
    '%s: issued tokens carry ["read", "write"], and the operator sees them',
    async (clientName) => {
      const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName, clientSecret: secrets[clientName] } });
      expect(claimsOf(issued.body.token as string).scope).toEqual(['read', 'write']);
      const shown = await gw.admin('sandbox', 'GET', `/admin/clients/${clientName}`);
      expect(shown.body.scopes).toEqual(['read', 'write']);
    },
  );

  it('grants settings when it is given explicitly', async () => {
    const secret = await createClient(gw, 'sandbox', 'scope-explicit', { scopes: ['read', 'settings'] });
    const token = signHs256(secret, { clientName: 'scope-explicit', exp: nowSeconds() + 300, scope: 'settings write' });
    const res = await gw.call('sandbox', 'GET', '/v1/settings', { token });
    expect(res.status).toBe(200);
    expect(res.body.scopes).toEqual(['read', 'settings']);
  });
});
