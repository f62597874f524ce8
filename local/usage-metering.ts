/**
 * The local gateway's usage plans: what API Gateway does between an authorizer's Allow and
 * the integration when the API's key source is AUTHORIZER and methods require a key.
 * - Only requests the authorizer allowed reach this (fresh or from the authorizer cache).
 * - The Allow's usageIdentifierKey picks the client (by the key's SHA-256 lookup item); no
 *   key, or a key of no client, is refused with INVALID_API_KEY as API Gateway does.
 * - A token bucket per client with its tier's rateLimit/burstLimit (the tier's usage plan in
 *   AWS) answers THROTTLED; a throttled request never reaches the handler, so it is not counted.
 * Quota is not counted here: the handlers count it, in both worlds (lambdas/runtime/quota-meter.ts).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_TIER, tierOf, TokenBucket, type StageQuotaConfig, type TierLimits } from '../lambdas/core/quota';
import type { GatewayResponseType } from '../lambdas/gateway/gateway-responses';
import type { StageName } from '../lambdas/gateway/settings';
import { apiKeyDigest, apiKeyLookupKey } from '../lambdas/store/api-key-store';
import { CLIENT_CACHE_MS } from '../lambdas/store/client-directory';
import { clientKey } from '../lambdas/store/table-schema';
import type { Clock } from './authorizer-cache';
import type { AllowedRequest, GatewayHooks } from './request-pipeline';

export interface StageMeterConfig {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  /** The stage's tiers (the tenant config's stage entry). */
  readonly quotaConfig: StageQuotaConfig;
}

interface KeyOwner {
  readonly clientName: string;
  readonly tier: TierLimits;
  readonly at: number;
}

export type MeterDecision = 'ok' | Extract<GatewayResponseType, 'THROTTLED' | 'INVALID_API_KEY'>;

export class StageMeter {
  /** By key digest: the client and its limits, re-read every CLIENT_CACHE_MS like the directory. */
  private readonly owners = new Map<string, KeyOwner>();
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly config: StageMeterConfig,
    private readonly clock: Clock = Date.now,
  ) {}

  async admit(usageIdentifierKey: string | undefined): Promise<MeterDecision> {
    if (usageIdentifierKey === undefined || usageIdentifierKey === '') return 'INVALID_API_KEY';
    const owner = await this.ownerOf(usageIdentifierKey);
    if (!owner) return 'INVALID_API_KEY';
    const now = this.clock();
    const { rateLimit, burstLimit } = owner.tier;
    let bucket = this.buckets.get(owner.clientName);
    if (!bucket || !bucket.matches(rateLimit, burstLimit)) {
      bucket = new TokenBucket(rateLimit, burstLimit, now);
      this.buckets.set(owner.clientName, bucket);
    }
    return bucket.take(now).ok ? 'ok' : 'THROTTLED';
  }

  private async ownerOf(key: string): Promise<KeyOwner | undefined> {
    const digest = apiKeyDigest(key);
    const now = this.clock();
    const hit = this.owners.get(digest);
    if (hit && now - hit.at < CLIENT_CACHE_MS) return hit;
    const { doc, tableName } = this.config;
    const lookup = await doc.send(new GetCommand({ TableName: tableName, Key: apiKeyLookupKey(digest) }));
    const clientName: unknown = lookup.Item?.clientName;
    if (typeof clientName !== 'string') return undefined;
    const profile = await doc.send(new GetCommand({ TableName: tableName, Key: clientKey(clientName) }));
    if (!profile.Item) return undefined;
    const { quotaConfig } = this.config;
    // A key whose client names a tier the stage no longer has is in no plan: API Gateway refuses it.
    const tier = tierOf(quotaConfig, typeof profile.Item.tier === 'string' ? profile.Item.tier : DEFAULT_TIER);
    if (!tier) return undefined;
    const owner = { clientName, tier, at: now };
    if (this.owners.size > 10_000) this.owners.clear();
    this.owners.set(digest, owner);
    return owner;
  }
}

/** One hook for the whole gateway, dispatching on the request's stage (stages share nothing). */
export function usagePlanHooks(meters: ReadonlyMap<StageName, StageMeter>, log: (line: string) => void): GatewayHooks {
  return {
    afterAllow: async (req: AllowedRequest) => {
      const meter = meters.get(req.stage as StageName);
      if (!meter) return 'INVALID_API_KEY';
      try {
        const decision = await meter.admit(req.usageIdentifierKey);
        return decision === 'ok' ? undefined : decision;
      } catch (err) {
        // The store is down: fail closed, as API Gateway would rather than serve unthrottled.
        log(`usage metering failed: ${err instanceof Error ? err.name : typeof err}`);
        return 'DEFAULT_5XX';
      }
    },
  };
}
