/**
 * Slows down secret guessing at POST /authtoken: failures per attempt key (clientName and
 * caller address, core/authenticate-client.ts) are counted in a fixed window; past the limit
 * that key is locked until the window ends. Unknown names are counted too, so the lock-out
 * reveals nothing about which names exist. Keys are stored hashed.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TTL_ATTRIBUTE } from './table-schema';
import { guarded } from './store-errors';

export const FAILURE_LIMIT = 5;
export const FAILURE_WINDOW_SECONDS = 15 * 60;

const keyOf = (clientName: string) => ({
  pk: `AUTHFAIL#${createHash('sha256').update(clientName).digest('base64url')}`,
  sk: 'WINDOW',
});

export class AuthFailureStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Failures in the live window, and seconds until the name may try again (0: not locked). */
  async status(clientName: string): Promise<{ failures: number; lockedFor: number }> {
    const now = Math.floor(this.clock() / 1000);
    // iam: dynamodb:GetItem table dynamodb:LeadingKeys=AUTHFAIL#<clientName>
    const out = await guarded('read auth failures', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: keyOf(clientName) })),
    );
    const item = out.Item as { failures?: number; [TTL_ATTRIBUTE]?: number } | undefined;
    // DynamoDB's TTL sweeper deletes late: an expired window counts as absent.
    if (!item || (item[TTL_ATTRIBUTE] ?? 0) <= now) return { failures: 0, lockedFor: 0 };
    const failures = item.failures ?? 0;
    return { failures, lockedFor: failures >= FAILURE_LIMIT ? (item[TTL_ATTRIBUTE] as number) - now : 0 };
  }

  async recordFailure(clientName: string): Promise<void> {
    const now = Math.floor(this.clock() / 1000);
    await guarded('record auth failure', async () => {
      try {
        // Count within the live window...
        // iam: dynamodb:UpdateItem table dynamodb:LeadingKeys=AUTHFAIL#<clientName>
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keyOf(clientName),
            UpdateExpression: 'ADD failures :one',
            ConditionExpression: '#ttl > :now',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':one': 1, ':now': now },
          }),
        );
      } catch (err) {
        if (!(err instanceof Error && err.name === 'ConditionalCheckFailedException')) throw err;
        // ...or open a new one.
        // iam: dynamodb:UpdateItem table dynamodb:LeadingKeys=AUTHFAIL#<clientName>
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keyOf(clientName),
            UpdateExpression: 'SET failures = :one, #ttl = :end',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':one': 1, ':end': now + FAILURE_WINDOW_SECONDS },
          }),
        );
      }
    });
  }

  async reset(clientName: string): Promise<void> {
    // iam: dynamodb:DeleteItem table dynamodb:LeadingKeys=AUTHFAIL#<clientName>
    await guarded('reset auth failures', () => this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keyOf(clientName) })));
  }
}
