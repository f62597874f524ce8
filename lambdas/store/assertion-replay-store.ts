/**
 * Single use of `private_key_jwt` assertions (RFC 7523 §3 item 7): the first use of a jti
 * writes a record that lives as long as the assertion could still be accepted; any later
 * use of that jti by the same client fails the conditional write. The condition also treats
 * an expired record as absent, because DynamoDB's TTL sweeper deletes it late (possibly days):
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
import { createHash } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { guarded, isConditionFailure } from './store-errors';
import { TTL_ATTRIBUTE } from './table-schema';

const keyOf = (clientName: string, jti: string) => ({
  // Hashed: the jti is the client's string (up to 256 characters) and not ours to store as is.
  pk: `ASSERTION#${createHash('sha256').update(`${clientName}\n${jti}`).digest('base64url')}`,
  sk: 'JTI',
});

export class AssertionReplayStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Records the jti as used until `keepUntil` (epoch seconds); false when it was already
   * used and that record is still live.
   */
  async claim(clientName: string, jti: string, keepUntil: number): Promise<boolean> {
    const now = Math.floor(this.clock() / 1000);
    try {
      await guarded('record assertion jti', () =>
        this.doc.send(
          // iam: dynamodb:PutItem table dynamodb:LeadingKeys=ASSERTION#<digest>
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keyOf(clientName, jti), type: 'assertion-jti', [TTL_ATTRIBUTE]: keepUntil },
            ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': now },
          }),
        ),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
