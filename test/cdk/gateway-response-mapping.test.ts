import { GATEWAY_RESPONSES } from '../../lambdas/gateway/gateway-responses';
import { mapHeaders, mappedGatewayResponses } from '../../lib/gateway-response-mapping';

test('quotes static header values as API Gateway literals', () => {
  expect(mapHeaders('THROTTLED', { 'Retry-After': '1' })).toEqual({ 'Retry-After': "'1'" });
});

test('replaces a WWW-Authenticate built from $context variables with a static Bearer challenge', () => {
  const mapped = mapHeaders('ACCESS_DENIED', GATEWAY_RESPONSES.ACCESS_DENIED.headers);
  expect(mapped['WWW-Authenticate']).toMatch(/^'Bearer error="invalid_token", error_description="[^$']+"'$/);
});

test('refuses a $context header it has no fallback for', () => {
  expect(() => mapHeaders('DEFAULT_4XX', { 'X-Request-Id': '$context.requestId' })).toThrow(/DYNAMIC_HEADER_FALLBACKS/);
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
