/**
 * Slows down secret guessing at the token endpoints (POST /authtoken, POST /oauth2/token): failures per attempt key (clientName and
 * caller address, core/authenticate-client.ts) are counted in a window that opens with the
 * first failure; past the limit that key is locked until the window ends. Unknown names are
 * counted too, so the lock-out reveals nothing about which names exist. Keys are stored hashed.
 *
 * The count is the gate: a failure is recorded by an UpdateItem whose ConditionExpression
 * requires the count to be under the limit, so DynamoDB evaluates the check and the increment
 * as one write and concurrent attempts can never pass the limit between a read and a write.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.AtomicCounters
 */
import { createHash } from 'node:crypto';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TTL_ATTRIBUTE } from './table-schema';
import { guarded, isConditionFailure } from './store-errors';

export const FAILURE_LIMIT = 5;
export const FAILURE_WINDOW_SECONDS = 15 * 60;

/** A failure was counted, or refused because the key reached the limit first. */
export type FailureRecord = { readonly counted: true } | { readonly counted: false; readonly lockedFor: number };

const keyOf = (attemptKey: string) => ({
  pk: `AUTHFAIL#${createHash('sha256').update(attemptKey).digest('base64url')}`,
  sk: 'WINDOW',
});

/** Rounds of (count in the live window, else open one); each round loses only to a concurrent writer. */
const MAX_ROUNDS = 4;

export class TokenLockoutStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Failures in the live window, and seconds until the key may try again (0: not locked). */
  async status(attemptKey: string): Promise<{ failures: number; lockedFor: number }> {
    const now = Math.floor(this.clock() / 1000);
    // iam: dynamodb:GetItem table dynamodb:LeadingKeys=AUTHFAIL#<clientName>
    const out = await guarded('read auth failures', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: keyOf(attemptKey), ConsistentRead: true })),
    );
    const item = out.Item as { failures?: number; [TTL_ATTRIBUTE]?: number } | undefined;
    // DynamoDB's TTL sweeper deletes late: an expired window counts as absent.
    if (!item || (item[TTL_ATTRIBUTE] ?? 0) <= now) return { failures: 0, lockedFor: 0 };
    const failures = item.failures ?? 0;
    return { failures, lockedFor: failures >= FAILURE_LIMIT ? (item[TTL_ATTRIBUTE] as number) - now : 0 };
  }

  /**
   * Counts one failure if the key is under the limit. `counted: false` means the limit was
   * reached (by this burst or before): the caller answers 429, not "wrong secret".
   */
  async recordFailure(attemptKey: string): Promise<FailureRecord> {
    const now = Math.floor(this.clock() / 1000);
    return guarded('record auth failure', async () => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        // Count within the live window, only while under the limit...
        if (
          await this.conditionalUpdate(attemptKey, {
            UpdateExpression: 'ADD failures :one',
            ConditionExpression: '#ttl > :now AND failures < :limit',
            ExpressionAttributeValues: { ':one': 1, ':now': now, ':limit': FAILURE_LIMIT },
          })
        )
          return { counted: true };
        // ...or open a new window where there is none (or it ended; expired items linger).
        if (
          await this.conditionalUpdate(attemptKey, {
            UpdateExpression: 'SET failures = :one, #ttl = :end',
            ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
            ExpressionAttributeValues: { ':one': 1, ':now': now, ':end': now + FAILURE_WINDOW_SECONDS },
          })
        )
          return { counted: true };
        // Both refused: the window is live, so it is at the limit, or a concurrent attempt
        // opened it between our two writes (then the next round counts in it).
        const status = await this.status(attemptKey);
        if (status.lockedFor > 0) return { counted: false, lockedFor: status.lockedFor };
      }
      // Still contended after every round: fail closed, as locked for a moment.
      return { counted: false, lockedFor: 1 };
    });
  }

  private async conditionalUpdate(
    attemptKey: string,
    update: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeValues: Record<string, number>;
    },
  ): Promise<boolean> {
    try {
      // iam: dynamodb:UpdateItem table dynamodb:LeadingKeys=AUTHFAIL#<clientName>
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(attemptKey),
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ...update,
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
