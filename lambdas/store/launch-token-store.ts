/**
 * Issued WorkoutKitTokens (LAUNCH#<jti> / TOKEN), kept until `expiresAt` (the table's TTL
 * attribute). DynamoDB deletes expired items late (up to days: "Time to Live (TTL)",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html), so every read
 * treats an expired record as absent. The raw device id is never stored: only the
 * per-token keyed hash that is also in the token.
 *
 * Revocation is not this store's: a launch token is revoked the way every other token is
 * (by jti, or by its client's cut-off, through the revocation store and the client profile),
 * and the launch check applies the same rule (core/revocation.ts) to what store/caller-state.ts reads.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LaunchClaims } from '../core/launch-token';
import { TTL_ATTRIBUTE } from './table-schema';
import { guarded } from './store-errors';

export interface LaunchTokenRecord {
  jti: string;
  clientName: string;
  sub: string;
  sessionId: string;
  payloadDigest: string;
  deviceHash: string;
  kid: string;
  issuedAt: number;
  /** Epoch seconds; the TTL attribute. */
  [TTL_ATTRIBUTE]: number;
}

const keyOf = (jti: string) => ({ pk: `LAUNCH#${jti}`, sk: 'TOKEN' });

export class LaunchTokenStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async put(claims: LaunchClaims, kid: string): Promise<void> {
    const record: LaunchTokenRecord = {
      jti: claims.jti,
      clientName: claims.clientName,
      sub: claims.sub,
      sessionId: claims.sessionId,
      payloadDigest: claims.payloadDigest,
      deviceHash: claims.dev,
      kid,
      issuedAt: claims.iat,
      [TTL_ATTRIBUTE]: claims.exp,
    };
    // iam: dynamodb:PutItem table dynamodb:LeadingKeys=LAUNCH#<jti>
    await guarded('write launch token', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf(claims.jti), ...record },
          // A jti is a random UUID; a collision would be a bug, never an overwrite.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /** The live record, or undefined when absent or expired (TTL not yet swept). */
  async getLive(jti: string): Promise<LaunchTokenRecord | undefined> {
    const now = Math.floor(this.clock() / 1000);
    // iam: dynamodb:GetItem table dynamodb:LeadingKeys=LAUNCH#<jti>
    const own = await guarded('read launch token', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: keyOf(jti), ConsistentRead: true })),
    );
    const item = own.Item as (LaunchTokenRecord & { pk?: string; sk?: string }) | undefined;
    if (!item || typeof item[TTL_ATTRIBUTE] !== 'number' || item[TTL_ATTRIBUTE] <= now) return undefined;
    const { pk: _pk, sk: _sk, ...record } = item;
    return record;
  }
}
