/**
 * The one home of the clientName rule: paths, token claims, assertions and request bodies all
 * test names against this pattern, and the request schemas (core/schemas) and the OpenAPI
 * document describe it with the same text. Kept free of the schema library so the authorizer
 * can use it without carrying that library in its bundle.
 */
export const CLIENT_NAME_PATTERN = /^[a-z0-9-]{3,64}$/;
/** How answers and documents describe the rule. */
export const CLIENT_NAME_RULE = '3-64 characters of [a-z0-9-]';

export function isClientName(v: unknown): v is string {
  return typeof v === 'string' && CLIENT_NAME_PATTERN.test(v);
}
