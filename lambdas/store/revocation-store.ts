/**
 * Revoked token ids (`REVOKED#<sha256(jti)>` / `JTI`). The key holds a digest, not the jti:
 * a jti may be up to 1 KiB of any characters, and a key must stay within DynamoDB's limits
 * whatever a caller puts in it.
 *
 * Retention: an item lives as long as the token it names can be valid. Issued tokens last
 * 4 h and launch tokens 1 day, but a client's own token may carry any `exp` (or none), and
 * maxTokenLifetimeSeconds allows up to a year, so items keep a year and a day. Tokens that
 * outlive that (no exp at all) are revoked with a client cut-off (`revokedBefore`), which
 * never expires. DynamoDB deletes expired items late, so reads filter on `expiresAt` too.
 */
import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RevocationList } from '../core/verify-token';
import { TTL_ATTRIBUTE } from './table-schema';
import { guarded } from './store-errors';

export const REVOKED_JTI_RETENTION_SECONDS = 366 * 24 * 60 * 60;

export const revokedKey = (jti: string) => ({ pk: `REVOKED#${createHash('sha256').update(jti, 'utf8').digest('base64url')}`, sk: 'JTI' });

export class RevocationStore implements RevocationList {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = Date.now,
    /** Handlers read strongly consistent (a revocation bites at once); the authorizer need not. */
    private readonly consistent = false,
  ) {}

  /** The same store with strongly consistent reads. */
  consistentReads(): RevocationStore {
    return new RevocationStore(this.doc, this.tableName, this.clock, true);
  }

  async revoke(jti: string, revokedBy: string): Promise<{ expiresAt: number }> {
    const now = Math.floor(this.clock() / 1000);
    const expiresAt = now + REVOKED_JTI_RETENTION_SECONDS;
    await guarded('revoke jti', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...revokedKey(jti), type: 'revocation', revokedAt: new Date(now * 1000).toISOString(), revokedBy, [TTL_ATTRIBUTE]: expiresAt },
        }),
      ),
    );
    return { expiresAt };
  }

  async isRevoked(jti: string): Promise<boolean> {
    const out = await guarded('read revocation', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: revokedKey(jti), ConsistentRead: this.consistent })),
    );
    const expiresAt = out.Item?.[TTL_ATTRIBUTE];
    return out.Item !== undefined && (typeof expiresAt !== 'number' || expiresAt > Math.floor(this.clock() / 1000));
  }
}
