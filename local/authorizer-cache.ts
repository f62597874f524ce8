/**
 * API Gateway's authorizer result cache for one REST API (one stage here): keyed by the
 * identity source values, holding whatever the authorizer returned, Allow or Deny, for
 * the TTL. The cached policy is then evaluated against every later request of that
 * identity, whatever its method (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html). TTL 0 turns caching off.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-authorizer.html
 */
import { createHash } from 'node:crypto';

/** Context values as API Gateway accepts them (anything else is a configuration error). */
export type AuthorizerContextValue = string | number | boolean | null;

export interface AuthorizerOutcome {
  readonly principalId: string;
  readonly policyDocument: unknown;
  readonly context: Readonly<Record<string, AuthorizerContextValue>>;
  /** The API key for usage plans (`apiKeySource: AUTHORIZER`, https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html). */
  readonly usageIdentifierKey?: string;
}

export type Clock = () => number;

interface Entry {
  readonly outcome: AuthorizerOutcome;
  readonly expiresAtMs: number;
}

export class AuthorizerCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly clock: Clock = Date.now,
    /** Bounds memory under a flood of distinct tokens; the oldest entry goes first. */
    private readonly maxEntries = 10_000,
  ) {}

  get enabled(): boolean {
    return this.ttlSeconds > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get(identity: string): AuthorizerOutcome | undefined {
    if (!this.enabled) return undefined;
    const key = digest(identity);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.clock() >= entry.expiresAtMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.outcome;
  }

  set(identity: string, outcome: AuthorizerOutcome): void {
    if (!this.enabled) return;
    const key = digest(identity);
    this.entries.delete(key); // re-insert so Map order stays oldest-first
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { outcome, expiresAtMs: this.clock() + this.ttlSeconds * 1000 });
  }

  clear(): void {
    this.entries.clear();
  }
}

// Tokens are secrets: keep only their digests as keys.
function digest(identity: string): string {
  return createHash('sha256').update(identity).digest('base64url');
}
