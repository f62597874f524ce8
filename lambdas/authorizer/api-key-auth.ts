/**
 * The API-key half of the public-read authorizer (`jwt-or-api-key` routes, e.g.
 * GET /v1/{clientName}/catalog). The authorizer has no cache there (settings.ts AUTHORIZERS),
 * so it runs on every such request; this lookup keeps results for a few seconds per warm
 * container, so a burst of one key costs one read.
 *
 * An Allow returns the presented key as `usageIdentifierKey`: API Gateway meters the request
 * against the client's usage plan by it (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html). A Deny never carries it, so a request
 * with a wrong key (or none) is never metered.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { apiKeyAuthorizerContext } from '../core/auth-context';
import { API_KEY_HEADER } from '../gateway/settings';
import { allowPolicy, denyPolicy } from './policy';

/** Finds the client a presented API key belongs to (only its digest is ever read). */
export interface ApiKeyLookup {
  clientFor(value: string): Promise<string | undefined>;
}

export const API_KEY_CACHE_MS = 5_000;
/** API Gateway key values are 20 to 128 characters; anything else is not a key of ours. */
const API_KEY_SHAPE = /^[A-Za-z0-9_-]{20,128}$/;

export class CachedApiKeyLookup implements ApiKeyLookup {
  private readonly entries = new Map<string, { clientName: string | undefined; at: number }>();

  constructor(
    private readonly source: ApiKeyLookup,
    private readonly clock: () => number = Date.now,
  ) {}

  async clientFor(value: string): Promise<string | undefined> {
    const now = this.clock();
    const hit = this.entries.get(value);
    if (hit && now - hit.at < API_KEY_CACHE_MS) return hit.clientName;
    const clientName = await this.source.clientFor(value);
    if (this.entries.size >= 10_000) this.entries.clear();
    this.entries.set(value, { clientName, at: now });
    return clientName;
  }
}

export async function authorizeApiKey(
  event: APIGatewayRequestAuthorizerEvent,
  presented: string | undefined,
  lookup: ApiKeyLookup,
): Promise<APIGatewayAuthorizerResult> {
  const value = presented?.trim();
  if (!value) return denyPolicy(event.methodArn, 'invalid_token', `Send a bearer token or the client's API key in ${API_KEY_HEADER}`);
  const clientName = API_KEY_SHAPE.test(value) ? await lookup.clientFor(value) : undefined;
  if (!clientName) return denyPolicy(event.methodArn, 'invalid_token', 'Unknown API key');
  return allowPolicy(clientName, event.methodArn, apiKeyAuthorizerContext(clientName), value);
}
