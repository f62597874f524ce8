/**
 * GET /v1/{clientName}/catalog through the local gateway: a JWT or the client's API key in
 * x-api-key; neither is 401 and never reaches metering; another client's path is 403.
 */
import { randomBytes } from 'node:crypto';
import { demoCatalogue } from '../../lambdas/core/demo-catalogue';
import { signHs256 } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
let secret: string;
let apiKey: string;

/** What the client's usage plan counted so far (the local gateway meters as API Gateway does). */
async function used(clientName = 'cat-acme'): Promise<number> {
  const res = await gw.admin('sandbox', 'GET', `/admin/clients/${clientName}/usage`);
  return res.body.used as number;
}

beforeAll(async () => {
  gw = await startTestGateway();
  const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'cat-acme', quota: { limit: 1000, period: 'DAY' } });
  secret = created.body.clientSecret as string;
  apiKey = created.body.apiKey as string;
  await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'cat-other' });
});
afterAll(() => gw.close());

const token = () => signHs256(secret, { clientName: 'cat-acme', iat: Math.floor(Date.now() / 1000) });

describe('GET /v1/{clientName}/catalog', () => {
  it('lists session summaries for a JWT caller, without media URLs or launch tokens', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/cat-acme/catalog', { token: token(), query: { limit: '100' } });
    expect(res.status).toBe(200);
    const items = res.body.items as Record<string, unknown>[];
    expect(items.map((i) => i.id)).toEqual(
      demoCatalogue()
        .map((s) => s.id)
        .sort(),
    );
    for (const item of items) expect(Object.keys(item).sort()).toEqual(['coach', 'durationSeconds', 'id', 'title', 'type']);
    expect(res.text).not.toMatch(/https?:\/\//);
    expect(res.headers.get('x-workoutkit-token')).toBeNull();
    expect(res.body.nextCursor).toBeNull();
  });

  it("accepts the client's API key in x-api-key instead; both ways are metered for the client", async () => {
    const before = await used();
    const res = await gw.call('sandbox', 'GET', '/v1/cat-acme/catalog', { headers: { 'x-api-key': apiKey } });
    expect(res.status).toBe(200);
    expect((res.body.items as unknown[]).length).toBeGreaterThan(0);
    expect((await gw.call('sandbox', 'GET', '/v1/cat-acme/catalog', { token: token() })).status).toBe(200);
    expect(await used()).toBe(before + 2);
  });

  it('answers 401 with neither credential, and never meters it', async () => {
    const before = await used();
    const res = await gw.call('sandbox', 'GET', '/v1/cat-acme/catalog');
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await used()).toBe(before);
  });

  it('answers 401 for an unknown API key, and never meters it', async () => {
    const before = await used();
    const res = await gw.call('sandbox', 'GET', '/v1/cat-acme/catalog', { headers: { 'x-api-key': randomBytes(32).toString('hex') } });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
    expect(await used()).toBe(before);
  });

  it('prefers the bearer token when both are sent: a bad token is refused even with a good key', async () => {
    const res = await gw.call('sandbox', 'GET', '/v1/cat-acme/catalog', {
      token: signHs256('wrong', { clientName: 'cat-acme' }),
      headers: { 'x-api-key': apiKey },
    });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_signature');
  });

  it("answers 403 for another client's path, by JWT or by API key, whether or not the name exists", async () => {
    for (const path of ['/v1/cat-other/catalog', '/v1/no-such-client/catalog']) {
      const byJwt = await gw.call('sandbox', 'GET', path, { token: token() });
      const byKey = await gw.call('sandbox', 'GET', path, { headers: { 'x-api-key': apiKey } });
      expect([byJwt.status, byJwt.body.error]).toEqual([403, 'insufficient_permissions']);
      expect([byKey.status, byKey.body]).toEqual([403, byJwt.body]);
    }
  });

  it('pages with limit and an opaque cursor, every session exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const query: Record<string, string> = { limit: '2', ...(cursor ? { cursor } : {}) };
      const res = await gw.call('sandbox', 'GET', '/v1/cat-acme/catalog', { headers: { 'x-api-key': apiKey }, query });
      expect(res.status).toBe(200);
      const items = res.body.items as { id: string }[];
      expect(items.length).toBeLessThanOrEqual(2);
      seen.push(...items.map((s) => s.id));
      cursor = res.body.nextCursor as string | null;
      if (cursor === null) break;
    }
    expect(seen).toEqual(
      demoCatalogue()
        .map((s) => s.id)
        .sort(),
    );
  });

  it('refuses a malformed cursor or limit with invalid_request', async () => {
    const bad: Record<string, string>[] = [
      { cursor: 'not*base64' },
      { cursor: Buffer.from('{"after":"../x"}').toString('base64url') },
      { limit: '0' },
      { limit: '101' },
      { page: '2' },
    ];
    for (const query of bad) {
      const res = await gw.call('sandbox', 'GET', '/v1/cat-acme/catalog', { headers: { 'x-api-key': apiKey }, query });
      expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
    }
  });

  it('shows a session an operator adds', async () => {
    const put = await gw.admin('sandbox', 'PUT', '/admin/sessions/zz-new-session', {
      type: 'audio',
      title: 'Evening stretch',
      durationSeconds: 600,
      level: 'beginner',
      coach: { name: 'Sam Lee' },
      audioUrl: 'https://media.example.com/stretch.mp3',
    });
    expect(put.status).toBe(200);
    const res = await gw.call('sandbox', 'GET', '/v1/cat-acme/catalog', { headers: { 'x-api-key': apiKey }, query: { limit: '100' } });
    expect(res.body.items).toContainEqual({
      id: 'zz-new-session',
      type: 'audio',
      title: 'Evening stretch',
      durationSeconds: 600,
      coach: { name: 'Sam Lee' },
    });
  });

  it('does not take an API key on JWT-only routes', async () => {
    const before = await used();
    const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', { headers: { 'x-api-key': apiKey } });
    expect(res.status).toBe(401);
    expect(await used()).toBe(before);
  });
});
