import { GATEWAY_RESPONSES } from '../../lambdas/gateway/gateway-responses';
import { mapHeaders, mappedGatewayResponses } from '../../lib/gateway-response-mapping';

test('quotes static header values as API Gateway literals', () => {
  expect(mapHeaders('THROTTLED', { 'Retry-After': '1' })).toEqual({ 'Retry-After': "'1'" });
});

test('maps the ACCESS_DENIED challenge as a static RFC 6750 Bearer header', () => {
  const mapped = mapHeaders('ACCESS_DENIED', GATEWAY_RESPONSES.ACCESS_DENIED.headers);
  expect(mapped['WWW-Authenticate']).toMatch(/^'Bearer error="invalid_token", error_description="[^$']+"'$/);
});

test('refuses a header built from $context variables (API Gateway cannot template headers)', () => {
  expect(() => mapHeaders('DEFAULT_4XX', { 'X-Request-Id': '$context.requestId' })).toThrow(/headers must be static/);
});

test('refuses a literal containing a single quote', () => {
  expect(() => mapHeaders('DEFAULT_4XX', { 'X-Note': "it's" })).toThrow(/single quote/);
});

test('keeps every body template as is, $context.authorizer placeholders included', () => {
  for (const r of mappedGatewayResponses()) {
    expect(r.templates).toEqual({ 'application/json': GATEWAY_RESPONSES[r.type].body });
    expect(r.statusCode).toBe(String(GATEWAY_RESPONSES[r.type].status));
  }
});
