/**
 * Durable request counters per quota (a client's, the deployment's) and period, in the
 * deployment's table. Counting is one conditional UpdateItem per counter —
 * `ADD used :one` only while `used < :limit` — so concurrent requests neither lose counts nor
 * let the count pass the limit, and the count is readable at once with a consistent read.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.AtomicCounters
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate
 *
 * Sharding: a counter that may take more than MAX_WRITES_PER_ITEM writes per second is spread
 * over shards (one partition key each), and its limit is split over them (splitLimit: the parts
 * add up to the limit). A request counts on a random shard; if that shard's part is used up it
 * tries the others in turn, so the quota is only refused when every shard is full, and the
 * total never passes the limit. Once every shard refused, this instance remembers the counter
 * as exhausted for EXHAUSTED_MEMO_MS, so a client hammering a used-up quota costs about one
 * write per second per container, not one per request. (Not for the rest of the period: a
 * concurrent request's take-back can bring a counter below its limit again.)
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-sharding.html
 *
 * Items: `USAGE#C#<client>#<shard>` (client) or `USAGE#D#<shard>` (deployment) / `<period>#<start day>`.
 */
import { BatchGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuotaSettings } from '../core/client-settings';
import { periodEnd, periodKey, splitLimit } from '../core/quota';
import { ServiceUnavailableError } from '../core/errors';
import { deletePartition } from './partition';
import { guarded, isConditionFailure } from './store-errors';

export type CounterScope = { kind: 'client'; clientName: string } | { kind: 'deployment' };

export const counterPartition = (scope: CounterScope, shard: number): string =>
  scope.kind === 'client' ? `USAGE#C#${scope.clientName}#${shard}` : `USAGE#D#${shard}`;

const EXHAUSTED_MEMO_MS = 1_000;

/** Counters outlive their period by this much (late usage reads, debugging), then TTL removes them. */
const KEEP_AFTER_PERIOD_SECONDS = 35 * 86_400;

/** A counter's period, and its limit; without a limit it only counts (a client with no quota of its own). */
export interface CounterQuota {
  readonly limit?: number;
  readonly period: QuotaSettings['period'];
}

export interface CounterSpec {
  readonly scope: CounterScope;
  readonly quota: CounterQuota;
  /** How many shards the counter is spread over (clientCounterShards / deploymentCounterShards). */
  readonly shards: number;
  /**
   * Distinguishes lives of the same name (a client's createdAt): a client deleted and created
   * again must not inherit the old one's "exhausted" memo.
   */
  readonly generation?: string;
}

export interface Counted {
  readonly spec: CounterSpec;
  /** Estimated use of the whole counter after this request (exact with one shard). */
  readonly used: number;
}

export type ConsumeResult =
  { readonly ok: true; readonly counted: readonly Counted[] } | { readonly ok: false; readonly exceeded: CounterSpec };

interface Taken {
  shard: number;
  used: number;
}

/** What DynamoDB calls counting made (the bench's cost-of-counting figures). */
export interface CounterCallStats {
  writes: number;
  undos: number;
  memoRefusals: number;
}

export class UsageCounterStore {
  /** Counters found full, by memoKey, until when (epoch ms): refused without a write. */
  private readonly exhausted = new Map<string, number>();
  readonly stats: CounterCallStats = { writes: 0, undos: 0, memoRefusals: 0 };

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Counts one request on every counter, or on none: the counters are written in parallel (one
   * round trip); if one refuses, the ones that counted are taken back (ADD -1) and the request
   * is refused. A DynamoDB failure throws 503 and leaves whatever was counted counted: a request
   * may be counted without being answered, never answered without being counted.
   */
  async consume(specs: readonly CounterSpec[], nowMs: number): Promise<ConsumeResult> {
    for (const spec of specs) {
      if ((this.exhausted.get(memoKey(spec, nowMs)) ?? 0) > nowMs) {
        this.stats.memoRefusals++;
        return { ok: false, exceeded: spec };
      }
    }
    const settled = await Promise.allSettled(specs.map((spec) => this.take(spec, nowMs)));
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    const taken = settled.map((s) => (s as PromiseFulfilledResult<Taken | undefined>).value);
    const refusedAt = taken.findIndex((t) => t === undefined);
    if (refusedAt === -1) {
      return { ok: true, counted: specs.map((spec, i) => ({ spec, used: estimateUsed(spec, taken[i] as Taken) })) };
    }
    const refused = specs[refusedAt] as CounterSpec;
    this.remember(memoKey(refused, nowMs), nowMs);
    // Refused requests are never counted: take back what the other counters counted. If this
    // fails the request stays counted there (an over-count, never an under-count).
    await Promise.all(
      taken.map((t, i) =>
        t === undefined ? Promise.resolve() : this.undo(specs[i] as CounterSpec, t.shard, nowMs).catch(() => undefined),
      ),
    );
    return { ok: false, exceeded: refused };
  }

  /** The counter's use in the period containing `nowMs` (all shards, one consistent BatchGetItem). */
  async used(scopes: readonly { scope: CounterScope; period: CounterQuota['period']; shards: number }[], nowMs: number): Promise<number[]> {
    const keys = scopes.flatMap(({ scope, period, shards }) =>
      Array.from({ length: shards }, (_, i) => ({ pk: counterPartition(scope, i), sk: periodKey(period, nowMs) })),
    );
    if (keys.length === 0) return [];
    if (keys.length > 100) throw new Error('at most 100 counter shards per read');
    // iam: dynamodb:BatchGetItem table dynamodb:LeadingKeys=USAGE#C#<clientName>#<shard>,USAGE#D#<shard>
    const out = await guarded('read usage', () =>
      this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } })),
    );
    if ((out.UnprocessedKeys?.[this.tableName]?.Keys?.length ?? 0) > 0) throw new ServiceUnavailableError('Usage could not be read');
    const byKey = new Map<string, number>();
    for (const item of out.Responses?.[this.tableName] ?? []) {
      if (typeof item.used === 'number') byKey.set(`${String(item.pk)}|${String(item.sk)}`, item.used);
    }
    return scopes.map(({ scope, period, shards }) => {
      let sum = 0;
      for (let i = 0; i < shards; i++) sum += byKey.get(`${counterPartition(scope, i)}|${periodKey(period, nowMs)}`) ?? 0;
      return sum;
    });
  }

  /** Removes every counter item of a client (deletion): each shard's partition. */
  async removeClient(clientName: string, shards: number): Promise<void> {
    for (let i = 0; i < shards; i++) await deletePartition(this.doc, this.tableName, counterPartition({ kind: 'client', clientName }, i));
  }

  /** Counts on a random shard with room; undefined when every shard's part is used up. */
  private async take(spec: CounterSpec, nowMs: number): Promise<Taken | undefined> {
    if (spec.quota.limit === undefined) {
      const shard = Math.floor(this.random() * spec.shards);
      return { shard, used: (await this.increment(spec, shard, undefined, nowMs)) as number };
    }
    const parts = splitLimit(spec.quota.limit, spec.shards);
    const first = Math.floor(this.random() * parts.length);
    for (let k = 0; k < parts.length; k++) {
      const shard = (first + k) % parts.length;
      const used = await this.increment(spec, shard, parts[shard], nowMs);
      if (used !== undefined) return { shard, used };
    }
    return undefined;
  }

  private async increment(spec: CounterSpec, shard: number, limit: number | undefined, nowMs: number): Promise<number | undefined> {
    this.stats.writes++;
    try {
      // iam: dynamodb:UpdateItem table dynamodb:LeadingKeys=USAGE#C#<clientName>#<shard>
      // iam: dynamodb:UpdateItem table dynamodb:LeadingKeys=USAGE#D#<shard>
      const out = await guarded('count usage', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: counterPartition(spec.scope, shard), sk: periodKey(spec.quota.period, nowMs) },
            UpdateExpression: 'ADD used :one SET expiresAt = if_not_exists(expiresAt, :ttl)',
            ...(limit === undefined ? {} : { ConditionExpression: 'attribute_not_exists(used) OR used < :limit' }),
            ExpressionAttributeValues: {
              ':one': 1,
              ...(limit === undefined ? {} : { ':limit': limit }),
              ':ttl': Math.floor(periodEnd(spec.quota.period, nowMs) / 1000) + KEEP_AFTER_PERIOD_SECONDS,
            },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      const used: unknown = out.Attributes?.used;
      return typeof used === 'number' ? used : 1;
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  private async undo(spec: CounterSpec, shard: number, nowMs: number): Promise<void> {
    this.stats.undos++;
    // iam: dynamodb:UpdateItem table dynamodb:LeadingKeys=USAGE#C#<clientName>#<shard>
    // iam: dynamodb:UpdateItem table dynamodb:LeadingKeys=USAGE#D#<shard>
    await guarded('uncount usage', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: counterPartition(spec.scope, shard), sk: periodKey(spec.quota.period, nowMs) },
          UpdateExpression: 'ADD used :minus',
          ExpressionAttributeValues: { ':minus': -1 },
        }),
      ),
    );
  }

  private remember(key: string, nowMs: number): void {
    if (this.exhausted.size > 10_000) this.exhausted.clear();
    this.exhausted.set(key, nowMs + EXHAUSTED_MEMO_MS);
  }
}

function memoKey(spec: CounterSpec, nowMs: number): string {
  return [
    counterPartition(spec.scope, 0),
    spec.generation ?? '',
    periodKey(spec.quota.period, nowMs),
    spec.quota.limit ?? '-',
    spec.shards,
  ].join('|');
}

/** With one shard the count is exact; with more, this shard's share scaled to the whole. */
function estimateUsed(spec: CounterSpec, taken: Taken): number {
  const { limit } = spec.quota;
  if (limit === undefined) return taken.used * spec.shards;
  const parts = splitLimit(limit, spec.shards);
  if (parts.length === 1) return taken.used;
  const part = parts[taken.shard] as number;
  return Math.min(limit, Math.round((taken.used * limit) / part));
}
