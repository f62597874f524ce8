/** The HTTP adapter every function shares: body limits and error shapes, event in, result out. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { httpHandler, type OperationTable } from '../../lambdas/runtime/http';
import { MAX_BODY_BYTES } from '../../lambdas/gateway/settings';

function event(resource: string, method: string, body: string | null, authorizer?: Record<string, string>): APIGatewayProxyEvent {
  return {
    resource,
    path: resource,
    httpMethod: method,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: { authorizer: authorizer ?? null } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

/** The api function with only the operations a test needs (the others answer 404). */
const apiWith = (operations: Partial<OperationTable<'api'>>) => httpHandler('api', operations as OperationTable<'api'>);
/** The session function likewise (it serves POST /graphql). */
const sessionWith = (operations: Partial<OperationTable<'session'>>) => httpHandler('session', operations as OperationTable<'session'>);

const caller = {
  clientName: 'acme-app',
  tokenKind: 'issued',
  alg: 'ES256',
  scope: 'read',
  sub: 'u',
  expiresAt: '',
  issuedAt: '',
  kid: '',
  jti: '',
};

describe('httpHandler', () => {
  let called = 0;
  const handler = apiWith({
    verifyAuth: async () => {
      called++;
      return { status: 200, body: { ok: true } };
    },
  });

  it('refuses a body over 64 KiB on a route that never reads it (API Gateway lets 10 MB through)', async () => {
    const res = await handler(event('/v1/auth/verify', 'GET', 'x'.repeat(MAX_BODY_BYTES + 1), caller));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'invalid_request' });
    expect(called).toBe(0);
  });

  it('answers the same refusal on /graphql in both shapes, GraphQL format beside the REST fields', async () => {
    const session = sessionWith({ graphql: async () => ({ status: 200, body: {} }) });
    const res = await session(event('/graphql', 'POST', 'x'.repeat(MAX_BODY_BYTES + 1), caller));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      error: 'invalid_request',
      error_description: 'Body over 64 KiB',
      errors: [{ message: 'Body over 64 KiB', extensions: { code: 'invalid_request' } }],
    });
  });

  it('answers 404 for a route the table gives another function, whatever this one implements', async () => {
    const res = await handler(event('/authtoken', 'POST', '{}'));
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'not_found' });
  });

  it('refuses a request that did not pass the authorizer with 401 and a Bearer challenge (fail closed)', async () => {
    const res = await handler(event('/v1/auth/verify', 'GET', null));
    expect(res.statusCode).toBe(401);
    expect(res.headers?.['WWW-Authenticate']).toMatch(/^Bearer error="invalid_token"/);
  });
});

describe('X-Request-Id on Lambda answers (what API Gateway passes through in AWS)', () => {
  const handler = apiWith({ verifyAuth: async () => ({ status: 200, body: { ok: true } }) });
  const withIds = (presented: string | undefined, authorizer?: Record<string, string>): APIGatewayProxyEvent => {
    const e = event('/v1/auth/verify', 'GET', null, authorizer);
    return {
      ...e,
      headers: presented === undefined ? {} : { 'x-request-id': presented },
      requestContext: { ...e.requestContext, requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' },
    };
  };

  it('echoes a safe caller id on a success and on a refusal', async () => {
    expect((await handler(withIds('trace-7', caller))).headers?.['X-Request-Id']).toBe('trace-7');
    const refused = await handler(withIds('trace-8'));
    expect(refused.statusCode).toBe(401);
    expect(refused.headers?.['X-Request-Id']).toBe('trace-8');
  });

  it("falls back to API Gateway's request id when the caller's is missing or unsafe", async () => {
    expect((await handler(withIds(undefined, caller))).headers?.['X-Request-Id']).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef');
    expect((await handler(withIds('two words', caller))).headers?.['X-Request-Id']).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef');
  });
});
