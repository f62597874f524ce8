/**
 * The client lifecycle through the operator API of the local gateway, on DynamoDB Local:
 * tiers (validated against the stage's, changed by PATCH, throttling by the new one), quota
 * changes, disabling, deletion (tokens and API key refused, usage gone), and a client created
 * again under a deleted name that refuses the old client's tokens.
 */
import type { StageQuotaConfig } from '../../lambdas/core/quota';
import { startTestGateway, type CallResult, type TestGateway } from '../support/local-gateway';

const CONFIG: StageQuotaConfig = {
  tiers: {
    default: { rateLimit: 10_000, burstLimit: 10_000 },
    premium: { rateLimit: 10_000, burstLimit: 10_000 },
    tiny: { rateLimit: 1, burstLimit: 1 },
  },
};
let gw: TestGateway;
beforeAll(async () => {
  // No authorizer cache: every request meets the authorizer's own checks (a cached Allow of a
  // deleted client's token carries its deleted API key, which API Gateway refuses with 403).
  gw = await startTestGateway({ quotaConfig: { sandbox: CONFIG, prod: CONFIG }, authorizerCacheTtlSeconds: 0 });
});
afterAll(() => gw.close());

const admin = (method: string, path: string, body?: unknown): Promise<CallResult> => gw.admin('sandbox', method, path, body);
async function tokenOf(clientName: string, clientSecret: string): Promise<CallResult> {
  return gw.call('sandbox', 'POST', '/authtoken', { body: { clientName, clientSecret } });
}
const verify = (token: string): Promise<CallResult> => gw.call('sandbox', 'GET', '/v1/auth/verify', { token });

describe('bad input names the field', () => {
  it.each([
    [{ clientName: 'bad-tier', tier: 'gold' }, /^tier: unknown tier "gold"; this stage's tiers are default, premium, tiny$/],
    [{ clientName: 'bad-rate', rateLimit: 5 }, /^rateLimit cannot be set on a client: throttling comes from the client's tier/],
    [{ clientName: 'bad-burst', quota: { limit: 5, period: 'DAY', burstLimit: 9 } }, /^quota\.burstLimit cannot be set on a client/],
    [{ clientName: 'bad-quota', quota: { limit: 'many', period: 'DAY' } }, /^quota\.limit must be an integer/],
    [{ clientName: 'bad-period', quota: { limit: 5, period: 'YEAR' } }, /^quota\.period must be DAY, WEEK or MONTH/],
    [{ clientName: 'bad-shape', quota: 5 }, /^quota must be an object/],
  ])('POST %j → 400 invalid_request', async (body, message) => {
    const res = await admin('POST', '/admin/clients', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.error_description).toMatch(message);
  });

  it('refuses a PATCH that names no setting, an unknown tier, or client throttle fields; 404 for an unknown client', async () => {
    await admin('POST', '/admin/clients', { clientName: 'patch-bad' });
    for (const [body, message] of [
      [{}, /at least one setting/],
      [{ tier: 'gold' }, /^tier: unknown tier "gold"/],
      [{ burstLimit: 3 }, /^burstLimit cannot be set on a client/],
      [{ disabled: 'yes' }, /^disabled must be true or false/],
    ] as const) {
      const res = await admin('PATCH', '/admin/clients/patch-bad', body);
      expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
      expect(res.body.error_description).toMatch(message);
    }
    expect((await admin('PATCH', '/admin/clients/no-such-one', { tier: 'premium' })).status).toBe(404);
    expect((await admin('DELETE', '/admin/clients/no-such-one')).status).toBe(404);
  });
});

describe('PATCH /admin/clients/{clientName}', () => {
  it('changes the tier (and with it the throttle), the quota, and shows them in the settings and the usage', async () => {
    const created = await admin('POST', '/admin/clients', { clientName: 'tier-move', quota: { limit: 100, period: 'DAY' } });
    expect(created.status).toBe(201);
    const token = (await tokenOf('tier-move', created.body.clientSecret as string)).body.token as string;
    expect((await admin('GET', '/admin/clients/tier-move')).body).toMatchObject({
      tier: 'default',
      quota: { limit: 100, period: 'DAY' },
      disabled: false,
    });

    const patched = await admin('PATCH', '/admin/clients/tier-move', { tier: 'tiny', quota: { limit: 7, period: 'WEEK' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ clientName: 'tier-move', tier: 'tiny', quota: { limit: 7, period: 'WEEK' } });
    expect(JSON.stringify(patched.body)).not.toContain(created.body.clientSecret as string);
    // The tiny tier: a burst of 1 at 1 request/s (the local gateway re-reads the client within seconds).
    await new Promise((r) => setTimeout(r, 5_100));
    const statuses = [(await verify(token)).status, (await verify(token)).status];
    expect(statuses).toEqual([200, 429]);
    expect((await admin('GET', '/admin/clients/tier-move/usage')).body).toMatchObject({ used: 1, limit: 7, period: 'WEEK', tier: 'tiny' });

    const removed = await admin('PATCH', '/admin/clients/tier-move', { quota: null, tier: 'premium' });
    expect(removed.body).toMatchObject({ quota: null, tier: 'premium' });
    expect((await admin('GET', '/admin/clients/tier-move/usage')).body).toMatchObject({ limit: null, remaining: null, tier: 'premium' });
  }, 60_000);

  it('disables a client: its tokens and API key are refused with 401 invalid_token saying so, /authtoken says invalid_client; enabling restores it', async () => {
    const created = await admin('POST', '/admin/clients', { clientName: 'switch-off' });
    const secret = created.body.clientSecret as string;
    const apiKey = created.body.apiKey as string;
    const token = (await tokenOf('switch-off', secret)).body.token as string;
    expect((await verify(token)).status).toBe(200);

    expect((await admin('PATCH', '/admin/clients/switch-off', { disabled: true })).body).toMatchObject({ disabled: true });
    const refused = await verify(token);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: 'invalid_token', error_description: 'The client is disabled' });
    const byKey = await gw.call('sandbox', 'GET', '/v1/switch-off/catalog', { headers: { 'x-api-key': apiKey } });
    expect([byKey.status, byKey.body.error_description]).toEqual([401, 'The client is disabled']);
    const issued = await tokenOf('switch-off', secret);
    expect([issued.status, issued.body.error]).toEqual([401, 'invalid_client']);
    expect((await admin('GET', '/admin/clients/switch-off/usage')).body.used).toBe(1); // refusals uncounted

    await admin('PATCH', '/admin/clients/switch-off', { disabled: false });
    expect((await verify(token)).status).toBe(200);
  });
});

describe('DELETE /admin/clients/{clientName}', () => {
  it('removes the client: 204, then 404 everywhere, its token and API key refused, and a new client of that name refuses the old tokens', async () => {
    const created = await admin('POST', '/admin/clients', { clientName: 'goner', quota: { limit: 50, period: 'MONTH' } });
    const oldToken = (await tokenOf('goner', created.body.clientSecret as string)).body.token as string;
    const apiKey = created.body.apiKey as string;
    expect((await verify(oldToken)).status).toBe(200);
    expect((await gw.call('sandbox', 'GET', '/v1/goner/catalog', { headers: { 'x-api-key': apiKey } })).status).toBe(200);

    const deleted = await admin('DELETE', '/admin/clients/goner');
    expect([deleted.status, deleted.text]).toEqual([204, '']);
    expect((await admin('GET', '/admin/clients/goner')).status).toBe(404);
    expect((await admin('GET', '/admin/clients/goner/usage')).status).toBe(404);
    expect((await admin('DELETE', '/admin/clients/goner')).status).toBe(404);
    expect((await verify(oldToken)).status).toBe(401);
    expect((await gw.call('sandbox', 'GET', '/v1/goner/catalog', { headers: { 'x-api-key': apiKey } })).status).toBe(401);
    expect((await tokenOf('goner', created.body.clientSecret as string)).body.error).toBe('invalid_client');

    const again = await admin('POST', '/admin/clients', { clientName: 'goner' });
    expect(again.status).toBe(201);
    expect(again.body.apiKey).not.toBe(apiKey);
    const old = await verify(oldToken);
    expect([old.status, old.body.error]).toEqual([401, 'token_revoked']);
    // The new client's cut-off is the second after the deletion: its own tokens from then on work.
    await new Promise((r) => setTimeout(r, 1_100));
    const fresh = (await tokenOf('goner', again.body.clientSecret as string)).body.token as string;
    const freshRes = await verify(fresh);
    expect(freshRes.status).toBe(200);
    // Counters went with the old client.
    expect((await admin('GET', '/admin/clients/goner/usage')).body).toMatchObject({ used: 1, tier: 'default', limit: null });
  });
});
