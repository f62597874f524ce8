/**
 * The local gateway's usage plans: what API Gateway does between an authorizer's Allow and
 * the integration when the API's key source is AUTHORIZER and methods require a key.
 * - Only requests the authorizer allowed reach this (fresh or from the authorizer cache),
 *   so refused requests are never counted (contract; AWS-NOTES #5).
 * - The Allow's usageIdentifierKey picks the client (by the key's SHA-256 lookup item); no
 *   key, or a key of no client, is refused with INVALID_API_KEY as API Gateway does.
 * - A token bucket per client (rateLimit/burstLimit) answers THROTTLED, then the period
 *   quota, counted in the table (UsageCounterStore) so it survives restarts and stays exact
 *   under concurrency, answers QUOTA_EXCEEDED. A throttled request is not counted.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuotaSettings } from '../lambdas/core/client-settings';
import { effectiveQuota, TokenBucket, type EffectiveQuota } from '../lambdas/core/quota';
import type { GatewayResponseType } from '../lambdas/gateway/gateway-responses';
import type { StageName } from '../lambdas/gateway/settings';
import { apiKeyDigest, apiKeyLookupKey } from '../lambdas/store/api-key-store';
import { CLIENT_CACHE_MS } from '../lambdas/store/client-directory';
import { clientKey } from '../lambdas/store/client-store';
import { currentPeriod } from '../lambdas/store/usage-backend';
import { UsageCounterStore } from '../lambdas/store/usage-counter-store';
import type { Clock } from './authorizer-cache';
import type { AllowedRequest, GatewayHooks } from './request-pipeline';

export interface StageMeterConfig {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  /** The stage's per-client defaults (the tenant config's stage quota). */
  readonly defaults: EffectiveQuota;
}

interface KeyOwner {
  readonly clientName: string;
  readonly quota: EffectiveQuota;
  readonly at: number;
}

export type MeterDecision = 'ok' | Extract<GatewayResponseType, 'THROTTLED' | 'QUOTA_EXCEEDED' | 'INVALID_API_KEY'>;

export class StageMeter {
  private readonly counters: UsageCounterStore;
  /** By key digest: the client and its limits, re-read every CLIENT_CACHE_MS like the directory. */
  private readonly owners = new Map<string, KeyOwner>();
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly config: StageMeterConfig,
    private readonly clock: Clock = Date.now,
  ) {
    this.counters = new UsageCounterStore(config.doc, config.tableName);
  }

  async admit(usageIdentifierKey: string | undefined): Promise<MeterDecision> {
    if (usageIdentifierKey === undefined || usageIdentifierKey === '') return 'INVALID_API_KEY';
    const owner = await this.ownerOf(usageIdentifierKey);
    if (!owner) return 'INVALID_API_KEY';
    const now = this.clock();
    const { rateLimit, burstLimit } = owner.quota;
    let bucket = this.buckets.get(owner.clientName);
    if (!bucket || !bucket.matches(rateLimit, burstLimit)) {
      bucket = new TokenBucket(rateLimit, burstLimit, now);
      this.buckets.set(owner.clientName, bucket);
    }
    if (!bucket.take(now).ok) return 'THROTTLED';
    const period = currentPeriod(owner.quota, now);
    const counted = await this.counters.consume(owner.clientName, period.startDay, owner.quota.limit, period.endMs);
    return counted ? 'ok' : 'QUOTA_EXCEEDED';
  }

  private async ownerOf(key: string): Promise<KeyOwner | undefined> {
    const digest = apiKeyDigest(key);
    const now = this.clock();
    const hit = this.owners.get(digest);
    if (hit && now - hit.at < CLIENT_CACHE_MS) return hit;
    const { doc, tableName } = this.config;
    const lookup = await doc.send(new GetCommand({ TableName: tableName, Key: apiKeyLookupKey(digest) }));
    const clientName = lookup.Item?.clientName;
    if (typeof clientName !== 'string') return undefined;
    const profile = await doc.send(new GetCommand({ TableName: tableName, Key: clientKey(clientName) }));
    if (!profile.Item) return undefined;
    const owner = {
      clientName,
      quota: effectiveQuota(profile.Item.quota as QuotaSettings | undefined, this.config.defaults),
      at: now,
    };
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
        // The store is down: fail closed, as API Gateway would rather than serve unmetered.
        log(`usage metering failed: ${err instanceof Error ? err.name : typeof err}`);
        return 'DEFAULT_5XX';
      }
    },
  };
}
