/**
 * Durable per-client, per-period request counters for the local gateway's usage plans
 * (`USAGE#<client>` / `<period start day>`). One atomic conditional UpdateItem per request:
 * `ADD used :1` only while `used < :limit`, so concurrent requests neither lose counts nor
 * overshoot the quota, and a restart keeps them.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.AtomicCounters
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { guarded, isConditionFailure } from './store-errors';

export const usageCounterKey = (clientName: string, periodStartDay: string) => ({ pk: `USAGE#${clientName}`, sk: periodStartDay });

/** Counters outlive their period by this much (for the usage route and debugging), then TTL. */
const KEEP_AFTER_PERIOD_SECONDS = 35 * 86_400;

export class UsageCounterStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Counts one request if the period's count is below `limit`. Returns false (nothing
   * counted) when the quota is used up.
   */
  async consume(clientName: string, periodStartDay: string, limit: number, periodEndMs: number): Promise<boolean> {
    try {
      // iam: dynamodb:UpdateItem table dynamodb:LeadingKeys=USAGE#<clientName>
      await guarded('count usage', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: usageCounterKey(clientName, periodStartDay),
            UpdateExpression: 'ADD used :one SET expiresAt = if_not_exists(expiresAt, :ttl)',
            ConditionExpression: 'attribute_not_exists(used) OR used < :limit',
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': limit,
              ':ttl': Math.floor(periodEndMs / 1000) + KEEP_AFTER_PERIOD_SECONDS,
            },
          }),
        ),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async used(clientName: string, periodStartDay: string): Promise<number> {
    // iam: dynamodb:GetItem table dynamodb:LeadingKeys=USAGE#<clientName>
    const out = await guarded('read usage', () =>
      this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: usageCounterKey(clientName, periodStartDay), ConsistentRead: true }),
      ),
    );
    const used = out.Item?.used;
    return typeof used === 'number' ? used : 0;
  }
}
