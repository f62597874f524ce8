/**
 * Property: no client input reaches a 5xx. For every route of the route table, generated
 * requests — JSON bodies deep, wide, with odd numbers and odd keys (`__proto__`,
 * `constructor`, ...), odd Content-Types, extra headers and query parameters named like
 * Object.prototype members, odd path parameters — are sent through the local gateway with
 * the credentials the route needs, and every answer must be below 500. Bodies are generated
 * as JSON text, so keys like `__proto__` reach the server verbatim (an object literal would
 * set a prototype instead). Runs per route: WK_PROPERTY_RUNS (default 10).
 */
import fc from 'fast-check';
import { ROUTES, type RouteSpec } from '../../lambdas/gateway/routes';
import { ADMIN_KEY_HEADER } from '../../lambdas/gateway/settings';
import { createClient } from '../support/clients';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

const RUNS = Number(process.env.WK_PROPERTY_RUNS ?? 10);
const LARGE = { tiers: { default: { rateLimit: 100_000, burstLimit: 100_000 } } };

let gw: TestGateway;
let userToken: string;
let apiKey: string;

beforeAll(async () => {
  // Quotas out of the way: a 429 is no 5xx, but it would stop requests before the handlers.
  gw = await startTestGateway({ quotaConfig: { sandbox: LARGE, prod: LARGE } });
  const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'prop-caller', scopes: ['read', 'write', 'settings'] });
  apiKey = created.body.apiKey as string;
  const issued = await gw.call('sandbox', 'POST', '/authtoken', {
    body: { clientName: 'prop-caller', clientSecret: created.body.clientSecret as string, sub: 'user-1' },
  });
  userToken = issued.body.token as string;
  // Operator routes act on another client, so a generated rotation or cut-off never touches the caller.
  await createClient(gw, 'sandbox', 'prop-target');
}, 90_000);
afterAll(() => gw.close());

const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'prototype',
  '__defineGetter__',
  'isPrototypeOf',
];
/** Field names the routes read, so generated values reach their validators. */
const FIELD_NAMES = [
  'type',
  'sessionId',
  'occurredAt',
  'data',
  'query',
  'variables',
  'operationName',
  'extensions',
  'clientName',
  'clientSecret',
  'userInfo',
  'sub',
  'jwks',
  'keys',
  'jwksUri',
  'pem',
  'graceSeconds',
  'jti',
  'issuedBefore',
  'token',
  'deviceId',
  'payloadDigest',
  'title',
  'scopes',
  'quota',
  'tier',
  'audience',
  'requiredClaims',
  'maxTokenLifetimeSeconds',
  'leadSeconds',
  'kty',
  'crv',
  'x',
  'y',
  'n',
  'e',
  'kid',
  'alg',
  'use',
  'key_ops',
  'limit',
  'period',
  '',
];

/** Number literals JSON allows but no store or Date does. */
const oddNumber = fc.constantFrom(
  '1e130',
  '-1e130',
  '1e400',
  '-1e400',
  '1e-400',
  '1e-200',
  '-0',
  '9007199254740993',
  '-9007199254740993',
  '123456789012345678901234567890',
  '8.64e12',
  '8640000000001',
  '0.1e-129',
  '4.9e-324',
  '1.7976931348623157e308',
);
const oddString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '%00',
    '../..',
    '$context.authorizer.error',
    '"}',
    'hiit-20-core',
    'prop-target',
    'https://127.0.0.1:1/jwks',
  ),
);
const scalar: fc.Arbitrary<string> = fc.oneof(
  oddNumber,
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  oddString.map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null', '[]', '{}'),
);
const key = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 12 }));

/** JSON text: nested objects/arrays to a small depth, wide at times. */
const shallowJson: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 6 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(key, tie('value')), { maxLength: 8 })
      .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value;

/** Nesting far past any recursion limit, as text (building it as a value would recurse here). */
const deepJson = fc
  .tuple(fc.integer({ min: 30, max: 20_000 }), fc.boolean(), scalar)
  .map(([n, arrays, leaf]) => (arrays ? `${'['.repeat(n)}${leaf}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}${leaf}${'}'.repeat(n)}`));

/** Many members, some repeated (JSON.parse keeps the last). */
const wideJson = fc
  .array(fc.tuple(key, scalar), { minLength: 50, maxLength: 1500 })
  .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);

/** A body shaped like the route's own: the known fields with generated values, plus odd members. */
const shapedJson = fc
  .array(fc.tuple(fc.constantFrom(...FIELD_NAMES, ...PROTOTYPE_NAMES), fc.oneof(shallowJson, deepJson)), { minLength: 1, maxLength: 6 })
  .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);

const body = fc.oneof(shapedJson, shallowJson, deepJson, wideJson, fc.constantFrom('', '{', '{"a":1}garbage', '\u00ff\u00fe', 'null'));
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'application/json;;',
      '*/*',
      '',
    ),
  },
);

const FORBIDDEN_HEADERS = new Set([
  'content-length',
  'host',
  'connection',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'authorization',
  ADMIN_KEY_HEADER.toLowerCase(),
  'content-type',
  'x-api-key',
]);
const headerName = fc
  .oneof(
    fc.constantFrom(...PROTOTYPE_NAMES, 'x-workoutkit-device', 'x-request-id', 'idempotency-key'),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
  )
  .filter((n) => !FORBIDDEN_HEADERS.has(n.toLowerCase()));
const headerValue = fc.oneof(fc.stringMatching(/^[\x21-\x7e]{0,40}$/), fc.constantFrom('__proto__', 'device-prop-0001', 'a'.repeat(300)));
const queryName = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES, 'limit', 'cursor', 'after'), fc.string({ maxLength: 10 }));
const queryValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('-1', '1e400', '__proto__', 'eyJhZnRlciI6eyJfX3Byb3RvX18iOjF9fQ'),
);
const pathParam = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('prop-target', 'hiit-20-core') },
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES, '%2e%2e', '%00', '%E0%A4%A', 'a'.repeat(300)) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,70}$/) },
);

const requestArb = fc.record({
  body,
  contentType,
  headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
  query: fc.array(fc.tuple(queryName, queryValue), { maxLength: 6 }),
  params: fc.array(pathParam, { minLength: 2, maxLength: 2 }),
  credentials: fc.constantFrom('route', 'route', 'route', 'none'),
  /** On jwt-or-api-key routes: the client's API key instead of the bearer token. */
  byApiKey: fc.boolean(),
});

type Generated = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

async function send(route: RouteSpec, g: Generated): Promise<{ status: number; text: string; url: string }> {
  let i = 0;
  const path = route.path.replace(/\{[^}]+\}/g, () => {
    const p = g.params[i++] ?? 'x';
    return /%/.test(p) ? p : encodeURIComponent(p);
  });
  const qs = g.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const url = `${gw.url('sandbox', path)}${qs ? `?${qs}` : ''}`;
  const headers = new Headers();
  for (const [name, value] of g.headers) headers.append(name, value);
  if (g.credentials === 'route') {
    if (route.auth === 'jwt') headers.set('authorization', `Bearer ${userToken}`);
    if (route.auth === 'jwt-or-api-key') {
      if (g.byApiKey) headers.set('x-api-key', apiKey);
      else headers.set('authorization', `Bearer ${userToken}`);
    }
    if (route.auth === 'operator') headers.set(ADMIN_KEY_HEADER, gw.gateway.stages.sandbox.adminKey);
  }
  const withBody = route.method === 'POST' || route.method === 'PUT';
  if (withBody && g.contentType !== '') headers.set('content-type', g.contentType);
  const res = await fetch(url, { method: route.method, headers, ...(withBody ? { body: g.body } : {}) });
  return { status: res.status, text: (await res.text()).slice(0, 300), url: url.slice(0, 200) };
}

describe.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_name, route) => {
  it(`answers ${RUNS} generated requests without a 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (g) => {
        const res = await send(route, g);
        if (res.status >= 500) throw new Error(`${route.method} ${res.url} answered ${res.status}: ${res.text}`);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

it('still answers the caller with its token after all that (the runs did not lock it out)', async () => {
  const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: userToken });
  expect(res.status).toBe(200);
});
