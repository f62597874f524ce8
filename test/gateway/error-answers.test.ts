/**
 * One error table for every answer: the handlers' errors (runtime/http.ts), the local gateway's
 * own refusals (local/answers.ts) and the Gateway Response templates AWS answers with before a
 * handler runs (gateway/gateway-responses.ts) must give each code the status of STATUS_OF, the
 * same body and, on a 401, a Bearer challenge.
 */
import { templateAnswer, jsonErrorAnswer } from '../../local/answers';
import { bearerChallenge, errorBody, TRANSPORT_STATUSES } from '../../lambdas/core/error-answer';
import { GatewayError, STATUS_OF, type ErrorCode } from '../../lambdas/core/errors';
import { GATEWAY_RESPONSES, type GatewayResponseType } from '../../lambdas/gateway/gateway-responses';
import { errorResult } from '../../lambdas/runtime/http';

const CODES = Object.keys(STATUS_OF) as ErrorCode[];
const isCode = (v: unknown): v is ErrorCode => typeof v === 'string' && Object.prototype.hasOwnProperty.call(STATUS_OF, v);

describe.each(CODES)('%s', (code) => {
  it('is answered alike by a handler and by the local gateway, at the table’s status', () => {
    for (const format of [undefined, 'graphql'] as const) {
      const lambda = errorResult(new GatewayError(code, 'Something "quoted"\nhappened'), format);
      const local = jsonErrorAnswer(code, 'Something "quoted"\nhappened', format ? { format } : {});
      expect(lambda.statusCode).toBe(STATUS_OF[code]);
      expect(local.status).toBe(lambda.statusCode);
      expect(local.headers).toEqual(lambda.headers);
      expect(local.body.toString('utf8')).toBe(lambda.body);
      const body = JSON.parse(lambda.body) as Record<string, unknown>;
      expect(body).toEqual(
        format ? errorBody(code, 'Something "quoted"\nhappened') : { error: code, error_description: 'Something "quoted"\nhappened' },
      );
      if (STATUS_OF[code] === 401) expect(lambda.headers?.['WWW-Authenticate']).toBe(bearerChallenge(code, 'Something "quoted"\nhappened'));
      else expect(lambda.headers?.['WWW-Authenticate']).toBeUndefined();
    }
  });
});

/** The codes an authorizer Deny carries into the ACCESS_DENIED template's context. */
const DENY_CODES = CODES.filter((c) => STATUS_OF[c] === 401);

describe.each(Object.keys(GATEWAY_RESPONSES) as GatewayResponseType[])('Gateway Response %s', (type) => {
  const contexts = type === 'ACCESS_DENIED' ? DENY_CODES.map((c) => ({ error: c, errorDescription: `Refused: ${c}` })) : [{}];

  it('answers a code of the table, at its status (or a transport status for invalid_request), in both readings', () => {
    for (const context of contexts) {
      const answer = templateAnswer(type, context);
      const body = JSON.parse(answer.body.toString('utf8')) as { error: unknown; error_description: string };
      expect(isCode(body.error)).toBe(true);
      const code = body.error as ErrorCode;
      if (answer.status !== STATUS_OF[code]) {
        expect(code).toBe('invalid_request');
        expect(TRANSPORT_STATUSES).toContain(answer.status);
      }
      expect(body).toEqual(errorBody(code, body.error_description));
      const challenge = answer.headers['WWW-Authenticate'];
      if (answer.status === 401) expect(challenge).toMatch(/^Bearer error="[a-z_]+", error_description="[^"]*"$/);
      else expect(challenge).toBeUndefined();
    }
  });
});

it('keeps transport statuses for invalid_request only', () => {
  expect(jsonErrorAnswer('invalid_request', 'late', { transportStatus: 408 }).status).toBe(408);
  expect(jsonErrorAnswer('not_found', 'x', { transportStatus: 431 }).status).toBe(404);
});
