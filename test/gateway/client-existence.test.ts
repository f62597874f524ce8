/**
 * Whether a clientName exists cannot be told from a refused token, over HTTP against the local
 * gateway on DynamoDB Local. The authorizer runs on a real DynamoDB client whose calls are
 * recorded (an instrumented client over DynamoDB Local, not a mock): for each kind of forged
 * token, one naming an existing client and one naming a name no client has get the same status,
 * the same body, the same WWW-Authenticate header, and cost the same store calls (the refusal
 * log entry included). Timing is measured by the bench (`npm run bench -- --only oracle`), not here.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { authorizerFor } from '../../lambdas/authorizer/handler';
import { CLIENT_CACHE_MS } from '../../lambdas/store/client-directory';
import { buildDeps } from '../../lambdas/runtime/deps';
import { localClientConfig } from '../../local/embedded-store';
import { createClient, putKeys } from '../support/clients';
import { keyPair, nowSeconds, signHs256, signRaw } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

const KNOWN = 'known-co';
const GHOST = 'ghost-co';
const knownEs = keyPair('ES256', 'known-es');
const knownRs = keyPair('RS256', 'known-rs');
const attackerEs = keyPair('ES256', 'attacker-es');
const attackerRs = keyPair('RS256', 'attacker-rs');

/** Store calls of the authorizer, as `Command pk`, with the client name written as <client>. */
const calls: string[] = [];
/** The authorizer's clock: moved past its client cache before each case, so both names read cold. */
let clockOffsetMs = 0;
let gw: TestGateway;

function instrumented(endpoint: string): DynamoDBDocumentClient {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(endpoint)), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const send = doc.send.bind(doc) as (...args: unknown[]) => Promise<unknown>;
  (doc as unknown as { send: (...args: unknown[]) => Promise<unknown> }).send = (command: unknown, ...rest: unknown[]) => {
    const c = command as { constructor: { name: string }; input: Record<string, unknown> };
    const key = (c.input.Key ?? c.input.Item) as { pk?: string } | undefined;
    const batch = c.input.RequestItems
      ? JSON.stringify(c.input.RequestItems)
          .match(/"pk":"[^"]*"/g)
          ?.join(',')
      : undefined;
    calls.push(`${c.constructor.name} ${key?.pk ?? batch ?? ''}`.replace(new RegExp(`${KNOWN}|${GHOST}`, 'g'), '<client>'));
    return send(command, ...rest);
  };
  return doc;
}

beforeAll(async () => {
  gw = await startTestGateway({
    functions: {
      authorizer: {
        createHandler: (env) =>
          authorizerFor(buildDeps(env, { doc: instrumented(env.DYNAMODB_ENDPOINT as string), clock: () => Date.now() + clockOffsetMs })),
      },
    },
  });
  await createClient(gw, 'sandbox', KNOWN);
  await putKeys(gw, 'sandbox', KNOWN, { jwks: { keys: [knownEs.publicJwk, knownRs.publicJwk] } });
}, 60_000);
afterAll(() => gw.close());

const claims = (clientName: string) => ({ clientName, sub: 'user-1', exp: nowSeconds() + 300, iat: nowSeconds() });
const FORGERIES: [string, (name: string) => string][] = [
  ['an HS256 token with a guessed secret', (n) => signHs256('guessed-secret', claims(n))],
  ['an ES256 token without kid', (n) => signRaw(attackerEs, { alg: 'ES256' }, claims(n))],
  [
    "an ES256 token with the client's real kid and a forged signature",
    (n) => signRaw(attackerEs, { alg: 'ES256', kid: 'known-es' }, claims(n)),
  ],
  ['an ES256 token with a guessed kid', (n) => signRaw(attackerEs, { alg: 'ES256', kid: 'guess-1' }, claims(n))],
  [
    "an RS256 token naming the client's EC kid (alg of another key type)",
    (n) => signRaw(attackerRs, { alg: 'RS256', kid: 'known-es' }, claims(n)),
  ],
  [
    "an RS256 token with the client's real RSA kid and a forged signature",
    (n) => signRaw(attackerRs, { alg: 'RS256', kid: 'known-rs' }, claims(n)),
  ],
];

async function refusal(token: string) {
  calls.length = 0;
  const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
  return { status: res.status, body: res.text, challenge: res.headers.get('www-authenticate'), calls: [...calls] };
}

describe('a refused token answers and costs the same whether its clientName exists', () => {
  it.each(FORGERIES)('%s', async (_what, forge) => {
    clockOffsetMs += CLIENT_CACHE_MS + 1_000;
    const known = await refusal(forge(KNOWN));
    const ghost = await refusal(forge(GHOST));
    expect(known.status).toBe(401);
    expect(ghost).toEqual(known);
    // Not vacuous: the client read and the refusal log entry are there, on both sides.
    expect(known.calls).toEqual(expect.arrayContaining(['GetCommand CLIENT#<client>', 'PutCommand AUTHLOG#<client>']));
  });
});
