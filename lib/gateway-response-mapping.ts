/**
 * Turns the shared Gateway Response templates (lambdas/gateway/gateway-responses.ts) into
 * the shape AWS::ApiGateway::GatewayResponse wants. Kept free of CDK types so it is easy to
 * test and so the local gateway's divergences are listed in one place.
 */
import {
  GATEWAY_RESPONSES,
  type GatewayResponseTemplate,
  type GatewayResponseType,
} from '../lambdas/gateway/gateway-responses';

export interface MappedGatewayResponse {
  readonly type: GatewayResponseType;
  readonly statusCode: string;
  /** Header name → mapping expression (a static value is wrapped in single quotes). */
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly templates: Readonly<Record<string, string>>;
}

/**
 * Static values for headers whose shared template interpolates `$context.…` into text.
 *
 * A gateway response header is a parameter mapping: its value is either one source
 * expression or a literal in single quotes, never a string with variables spliced in.
 * "The parameter values can take any incoming request parameter value or a static custom
 * value" — https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.gatewayResponse.html
 * (sources: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping-sources.html).
 * Only the body template substitutes `$context.authorizer.<key>`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html),
 * and AWS does not document `context.authorizer.*` as a gateway-response header source.
 * So `Bearer error="$context.authorizer.error", …` cannot be reproduced in AWS: the deployed
 * ACCESS_DENIED answer carries RFC 6750's generic `invalid_token` in WWW-Authenticate while
 * the precise code stays in the JSON body. docs/deploy.md lists this divergence.
 */
export const DYNAMIC_HEADER_FALLBACKS: Readonly<Record<string, string>> = {
  'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token is invalid"',
};

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
    const fallback = DYNAMIC_HEADER_FALLBACKS[name];
    if (fallback === undefined) {
      // Fail the synth rather than ship a header API Gateway would reject or send literally.
      throw new Error(
        `gateway response ${type}: header ${name} uses $context variables; add a static fallback in DYNAMIC_HEADER_FALLBACKS`,
      );
    }
    out[name] = staticHeaderValue(fallback);
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
