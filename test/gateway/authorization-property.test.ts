/**
 * Property: whatever arrives in the Authorization header, the answer is 400 or 401 — never
 * 200, 403 or a 5xx. Three generators: printable strings (with and without "Bearer "),
 * random base64url triples (JWT-shaped garbage, sometimes with a plausible header), and
 * valid tokens mutated at random. Bounded: 200 runs in all.
 */
import fc from 'fast-check';
import { createClient, putKeys } from '../support/clients';
import { b64url, keyPair, nowSeconds, signHs256, signWith } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

let gw: TestGateway;
const valid: string[] = [];
const es = keyPair('ES256', 'prop-es');

beforeAll(async () => {
  gw = await startTestGateway();
  const secret = await createClient(gw, 'sandbox', 'prop-app');
  await putKeys(gw, 'sandbox', 'prop-app', { jwks: { keys: [es.publicJwk] } });
  const issued = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'prop-app', clientSecret: secret, sub: 'u1' } });
  valid.push(
    issued.body.token as string,
    signHs256(secret, { clientName: 'prop-app', exp: nowSeconds() + 3600 }),
    await signWith(es, { iss: 'prop-app', sub: 'u2', exp: nowSeconds() + 3600 }),
  );
  for (const token of valid) expect((await gw.call('sandbox', 'GET', '/v1/auth/verify', { token })).status).toBe(200);
});
afterAll(() => gw.close());

const REFUSALS = [400, 401];

async function statusFor(authorization: string): Promise<{ status: number; error: unknown }> {
  const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', { headers: { authorization } });
  return { status: res.status, error: res.body.error };
}

async function assertRefused(authorization: string): Promise<void> {
  const { status, error } = await statusFor(authorization);
  if (!REFUSALS.includes(status) || typeof error !== 'string') {
    throw new Error(`Authorization ${JSON.stringify(authorization.slice(0, 200))} answered ${status} ${String(error)}`);
  }
}

const printable = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 400 });
const b64urlText = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
  maxLength: 200,
});
const plausibleHeader = fc
  .record({
    alg: fc.constantFrom('none', 'HS256', 'RS256', 'ES256', 'ES512', 'PS256', 'NONE'),
    kid: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    typ: fc.constant('JWT'),
  })
  .map((h) => b64url(JSON.stringify(h)));
const plausiblePayload = fc
  .record({
    clientName: fc.constantFrom('prop-app', 'other-app', 'x', ''),
    iss: fc.option(fc.constantFrom('prop-app', 'workoutkit:local:sandbox', 'workoutkit:local:prod'), { nil: undefined }),
    exp: fc.option(fc.oneof(fc.integer(), fc.string({ maxLength: 12 })), { nil: undefined }),
    token_use: fc.option(fc.constant('access'), { nil: undefined }),
  })
  .map((p) => b64url(JSON.stringify(p)));

describe('random Authorization headers', () => {
  it('printable strings, bare or after "Bearer ", are refused with 400/401 and never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), printable, async (bearer, text) => assertRefused(bearer ? `Bearer ${text}` : text || 'x')),
      { numRuns: 60 },
    );
  });

  it('random base64url triples, some with plausible headers and claims, are refused with 400/401', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(b64urlText, plausibleHeader), fc.oneof(b64urlText, plausiblePayload), b64urlText, async (h, p, s) =>
        assertRefused(`Bearer ${h}.${p}.${s}`),
      ),
      { numRuns: 70 },
    );
  });

  it('mutated valid tokens (a character changed, dropped or inserted; segments swapped) are refused with 400/401', async () => {
    const mutation = fc.record({
      which: fc.nat({ max: 2 }),
      kind: fc.constantFrom('replace', 'delete', 'insert', 'swap'),
      at: fc.nat(),
      char: fc.constantFrom(...'AQgw-_.=+/ 9zZ'),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ which, kind, at, char }) => {
        const token = valid[which] as string;
        const i = at % token.length;
        let mutated: string;
        if (kind === 'replace') mutated = token.slice(0, i) + char + token.slice(i + 1);
        else if (kind === 'delete') mutated = token.slice(0, i) + token.slice(i + 1);
        else if (kind === 'insert') mutated = token.slice(0, i) + char + token.slice(i);
        else {
          const [a, b, c] = token.split('.') as [string, string, string];
          mutated = [b, a, c].join('.');
        }
        fc.pre(mutated !== token && mutated.trim() === mutated);
        await assertRefused(`Bearer ${mutated}`);
      }),
      { numRuns: 70 },
    );
  });
});
