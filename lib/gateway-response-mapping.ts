/**
 * Turns the shared Gateway Response templates (lambdas/gateway/gateway-responses.ts) into
 * the shape AWS::ApiGateway::GatewayResponse wants. Kept free of CDK types so it is easy to
 * test and so the local gateway's divergences are listed in one place.
 */
import { GATEWAY_RESPONSES, type GatewayResponseTemplate, type GatewayResponseType } from '../lambdas/gateway/gateway-responses';

export interface MappedGatewayResponse {
  readonly type: GatewayResponseType;
  readonly statusCode: string;
  /** Header name → mapping expression (a static value is wrapped in single quotes). */
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly templates: Readonly<Record<string, string>>;
}

/**
 * A gateway response header is a parameter mapping: its value is either one source
 * expression or a literal in single quotes, never a string with variables spliced in
 * ("any incoming request parameter value or a static custom value":
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.gatewayResponse.html).
 * So the shared templates keep `$context.…` to bodies; a header that uses it fails the synth.
 */
const CONTEXT_VARIABLE = /\$context\./;

/** Wraps a literal as a mapping expression; a single quote inside would end it early. */
export function staticHeaderValue(value: string): string {
  if (value.includes("'")) throw new Error(`gateway response header value cannot contain a single quote: ${value}`);
  return `'${value}'`;
}

export function mapHeaders(type: string, headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!CONTEXT_VARIABLE.test(value)) {
      out[name] = staticHeaderValue(value);
      continue;
    }
    // Fail the synth rather than ship a header API Gateway would reject or send literally.
    throw new Error(`gateway response ${type}: header ${name} uses $context variables; headers must be static`);
  }
  return out;
}

export function mapGatewayResponse(type: GatewayResponseType, template: GatewayResponseTemplate): MappedGatewayResponse {
  return {
    type,
    statusCode: String(template.status),
    responseHeaders: mapHeaders(type, template.headers),
    // Body templates are not VTL, only `$context` substitution, so they pass through as-is.
    templates: { 'application/json': template.body },
  };
}

export function mappedGatewayResponses(
  responses: Readonly<Record<GatewayResponseType, GatewayResponseTemplate>> = GATEWAY_RESPONSES,
): MappedGatewayResponse[] {
  return (Object.keys(responses) as GatewayResponseType[]).map((type) => mapGatewayResponse(type, responses[type]));
}
