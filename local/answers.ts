/**
 * The answers the local gateway writes: rendered Gateway Response templates (the same
 * ones lib/ deploys), its own JSON errors, and Lambda proxy results.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { errorAnswer, type ErrorAnswerOptions } from '../lambdas/core/error-answer';
import type { ErrorCode } from '../lambdas/core/errors';
import { GATEWAY_RESPONSES, type GatewayResponseType, renderTemplate } from '../lambdas/gateway/gateway-responses';

export interface GatewayAnswer {
  readonly status: number;
  /** Lower-case or any-case names; a list means the header is sent once per value. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: Buffer;
}

/** Renders a Gateway Response as API Gateway does: header values and body get `$context.authorizer.*`. */
export function templateAnswer(type: GatewayResponseType, authorizerContext: Readonly<Record<string, unknown>> = {}): GatewayAnswer {
  const t = GATEWAY_RESPONSES[type];
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(t.headers)) headers[name] = renderTemplate(value, authorizerContext);
  return { status: t.status, headers, body: Buffer.from(renderTemplate(t.body, authorizerContext), 'utf8') };
}

/** The local gateway's own refusals, rendered by the renderer the handlers and templates use. */
export function jsonErrorAnswer(code: ErrorCode, description: string, options: ErrorAnswerOptions = {}): GatewayAnswer {
  const answer = errorAnswer(code, description, options);
  return { status: answer.status, headers: answer.headers, body: Buffer.from(answer.body, 'utf8') };
}

export class MalformedProxyResultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedProxyResultError';
  }
}

/**
 * Turns a Lambda proxy result into an answer. `headers` and `multiValueHeaders` are merged;
 * for a name in both, only the multi-value list is used. A malformed result is an error
 * (AWS: 502 "Malformed Lambda proxy response").
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 */
export function proxyResultAnswer(result: unknown): GatewayAnswer {
  if (typeof result !== 'object' || result === null) throw new MalformedProxyResultError('result is not an object');
  const r = result as Partial<APIGatewayProxyResult> & Record<string, unknown>;
  const status = r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new MalformedProxyResultError('statusCode must be an integer HTTP status');
  }
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') {
    throw new MalformedProxyResultError('body must be a string');
  }
  const headers: Record<string, string | string[]> = {};
  const multi = new Set<string>();
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object') throw new MalformedProxyResultError('multiValueHeaders must be an object');
    for (const [name, values] of Object.entries(r.multiValueHeaders)) {
      if (!Array.isArray(values) || !values.every(isScalar)) {
        throw new MalformedProxyResultError(`multiValueHeaders.${name} must be a list of strings`);
      }
      headers[name] = values.map(String);
      multi.add(name.toLowerCase());
    }
  }
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object') throw new MalformedProxyResultError('headers must be an object');
    for (const [name, value] of Object.entries(r.headers)) {
      if (!isScalar(value)) throw new MalformedProxyResultError(`headers.${name} must be a string`);
      if (!multi.has(name.toLowerCase())) headers[name] = String(value);
    }
  }
  const text = r.body ?? '';
  const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { status, headers, body };
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
