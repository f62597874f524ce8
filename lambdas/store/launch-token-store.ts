/**
 * Issued WorkoutKitTokens (LAUNCH#<jti> / TOKEN), kept until `expiresAt` (the table's TTL
 * attribute). DynamoDB deletes expired items late (up to days: "Time to Live (TTL)",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html), so every read
 * treats an expired record as absent. The raw device id is never stored: only the
 * per-token keyed hash that is also in the token.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LaunchClaims } from '../core/launch-token';
import { TTL_ATTRIBUTE } from './table-schema';
import { guarded, isConditionFailure } from './store-errors';

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
  revokedAt?: number;
}

const keyOf = (jti: string) => ({ pk: `LAUNCH#${jti}`, sk: 'TOKEN' });
/** Written by the operator revocation API (issue 3) for any jti, ours included. */
const revokedKeyOf = (jti: string) => ({ pk: `REVOKED#${jti}`, sk: 'JTI' });

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

  /** The live record, or undefined when absent, expired (TTL not yet swept) or revoked. */
  async getLive(jti: string): Promise<LaunchTokenRecord | undefined> {
    const now = Math.floor(this.clock() / 1000);
    const [own, revoked] = await guarded('read launch token', () =>
      Promise.all([
        this.doc.send(new GetCommand({ TableName: this.tableName, Key: keyOf(jti), ConsistentRead: true })),
        this.doc.send(new GetCommand({ TableName: this.tableName, Key: revokedKeyOf(jti), ConsistentRead: true })),
      ]),
    );
    const item = own.Item as (LaunchTokenRecord & { pk?: string; sk?: string }) | undefined;
    if (!item || typeof item[TTL_ATTRIBUTE] !== 'number' || item[TTL_ATTRIBUTE] <= now) return undefined;
    if (item.revokedAt !== undefined) return undefined;
    const rev = revoked.Item as { [TTL_ATTRIBUTE]?: number } | undefined;
    if (rev && (rev[TTL_ATTRIBUTE] === undefined || rev[TTL_ATTRIBUTE] > now)) return undefined;
    const { pk: _pk, sk: _sk, ...record } = item;
    return record;
  }

  /** Marks a live token revoked; false when there is no such token. */
  async revoke(jti: string): Promise<boolean> {
    const now = Math.floor(this.clock() / 1000);
    try {
      await guarded('revoke launch token', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keyOf(jti),
            UpdateExpression: 'SET revokedAt = :now',
            ConditionExpression: 'attribute_exists(pk) AND #ttl > :now',
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
