/**
 * The WorkoutKitToken core with real ES256 keys and an injected clock: every binding, in
 * the order launch checks them.
 */
import { randomBytes } from 'node:crypto';
import { generateSigningKey, verificationKeyOf, type SigningKey } from '../../lambdas/core/signing-key';
import { issueLaunchToken, LAUNCH_TOKEN_LIFETIME_SECONDS, verifyLaunchToken, type LaunchRequest } from '../../lambdas/core/launch-token';
import { payloadDigest } from '../../lambdas/core/payload-digest';
import { issueAccessToken } from '../../lambdas/core/issue-token';

const ISSUER = 'workoutkit:acme:sandbox';
const T0 = Date.UTC(2026, 10, 23, 12);
const DEVICE = 'ios-8d1f0b7e-0c55-4e0e-9a0e-3f1b2c3d4e5f';
const payload = { id: 's1', type: 'audio', title: 'Morning Run' };

function deployment(): { key: SigningKey; deviceKey: Buffer } {
  return { key: generateSigningKey().key, deviceKey: randomBytes(32) };
}

async function issue(d = deployment(), issuer = ISSUER) {
  const issued = await issueLaunchToken(
    { clientName: 'acme', sub: 'user-1', sessionId: 's1', payloadDigest: payloadDigest(payload) },
    { id: DEVICE, key: d.deviceKey },
    d.key,
    issuer,
    T0,
  );
  return { ...issued, d };
}

function verifier(d: { key: SigningKey; deviceKey: Buffer }, nowMs = T0 + 1000, issuer = ISSUER) {
  const vk = verificationKeyOf(d.key);
  return {
    issuer,
    keys: { get: async (kid: string) => (kid === vk.kid ? vk : undefined) },
    deviceKey: async () => d.deviceKey,
    clock: () => nowMs,
  };
}

const request = (token: string, over: Partial<LaunchRequest> = {}): LaunchRequest => ({
  token,
  deviceId: DEVICE,
  sessionId: 's1',
  payloadDigest: payloadDigest(payload),
  ...over,
});

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toMatchObject({ code: 'launch_token_invalid', status: 401 });
    return String((err as Error).message).split(':')[0] as string;
  }
  throw new Error('expected a refusal');
}

describe('issueLaunchToken', () => {
  test('binds deployment, client, user, session, payload digest and a per-token device hash, for one day', async () => {
    const { token, claims } = await issue();
    expect(claims).toMatchObject({ iss: ISSUER, clientName: 'acme', sub: 'user-1', sessionId: 's1', token_use: 'launch' });
    expect(claims.exp - claims.iat).toBe(LAUNCH_TOKEN_LIFETIME_SECONDS);
    expect(claims.iat).toBe(T0 / 1000);
    const header = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString());
    expect(header).toMatchObject({ alg: 'ES256', typ: 'wk-launch+jwt' });
    expect(token).not.toContain(Buffer.from(DEVICE).toString('base64url'));
    expect(JSON.stringify(claims)).not.toContain(DEVICE);
  });

  test('two tokens for the same device carry unlinkable device hashes', async () => {
    const d = deployment();
    const a = await issue(d);
    const b = await issue(d);
    expect(a.claims.dev).not.toBe(b.claims.dev);
  });
});

describe('verifyLaunchToken', () => {
  test('accepts the genuine device, session and payload, and again later the same day', async () => {
    const { token, d } = await issue();
    await expect(verifyLaunchToken(request(token), verifier(d))).resolves.toMatchObject({ sessionId: 's1' });
    await expect(verifyLaunchToken(request(token), verifier(d, T0 + 23 * 3600 * 1000))).resolves.toMatchObject({ sub: 'user-1' });
  });

  test('refuses another device', async () => {
    const { token, d } = await issue();
    expect(await reason(verifyLaunchToken(request(token, { deviceId: 'another-device-123' }), verifier(d)))).toBe('other_device');
  });

  test('refuses another session', async () => {
    const { token, d } = await issue();
    expect(await reason(verifyLaunchToken(request(token, { sessionId: 's2' }), verifier(d)))).toBe('other_session');
  });

  test('refuses a modified payload', async () => {
    const { token, d } = await issue();
    const modified = payloadDigest({ ...payload, title: 'Morning Run (premium)' });
    expect(await reason(verifyLaunchToken(request(token, { payloadDigest: modified }), verifier(d)))).toBe('modified_payload');
  });

  test('refuses a token at its expiry instant and after', async () => {
    const { token, d } = await issue();
    const exp = T0 + LAUNCH_TOKEN_LIFETIME_SECONDS * 1000;
    expect(await reason(verifyLaunchToken(request(token), verifier(d, exp)))).toBe('expired');
    await expect(verifyLaunchToken(request(token), verifier(d, exp - 1000))).resolves.toBeDefined();
  });

  test('refuses a token signed by another deployment (stage or tenant): its key is unknown here', async () => {
    const { token } = await issue(deployment(), 'workoutkit:acme:prod');
    expect(await reason(verifyLaunchToken(request(token), verifier(deployment())))).toBe('unknown_key');
  });

  test('refuses a token whose issuer is another deployment even with a known key', async () => {
    const d = deployment();
    const { token } = await issue(d, 'workoutkit:other:sandbox');
    expect(await reason(verifyLaunchToken(request(token), verifier(d)))).toBe('other_deployment');
  });

  test('refuses a tampered signature and a tampered payload', async () => {
    const { token, d } = await issue();
    const [h, p, s] = token.split('.') as [string, string, string];
    const sig = Buffer.from(s, 'base64url');
    sig[0] = (sig[0] as number) ^ 0x80;
    expect(await reason(verifyLaunchToken(request(`${h}.${p}.${sig.toString('base64url')}`), verifier(d)))).toBe('bad_signature');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sessionId: 's2' })).toString('base64url');
    expect(await reason(verifyLaunchToken(request(`${h}.${forged}.${s}`, { sessionId: 's2' }), verifier(d)))).toBe('bad_signature');
  });

  test('refuses an access token of the same deployment and garbage', async () => {
    const d = deployment();
    const access = await issueAccessToken({ clientName: 'acme', userInfo: {}, sub: 'user-1' }, d.key, ISSUER, T0);
    expect(await reason(verifyLaunchToken(request(access.token), verifier(d)))).toBe('not_a_launch_token');
    expect(await reason(verifyLaunchToken(request('not.a.jwt'), verifier(d)))).toBe('malformed');
  });
});
