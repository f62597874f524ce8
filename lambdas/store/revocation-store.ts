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
 *
 * Two scopes: an operator revokes a jti for every client (`JTI`); a client revoking through
 * its own settings (POST /v1/settings/revocations) revokes the jti only among its own tokens
 * (`CLIENT_JTI`, keyed by clientName + jti). A client's tokens carry whatever jti the client
 * chose, so a global revocation by one client could otherwise refuse another's tokens.
 * The verifier reads both keys in one BatchGetItem.
 */
import { createHash } from 'node:crypto';
import { BatchGetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RevocationList } from '../core/verify-token';
import { TTL_ATTRIBUTE } from './table-schema';
import { guarded } from './store-errors';
import { ServiceUnavailableError } from '../core/errors';

export const REVOKED_JTI_RETENTION_SECONDS = 366 * 24 * 60 * 60;

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64url');

/** Global (operator) when clientName is absent; else only among that client's tokens. */
export const revokedKey = (jti: string, clientName?: string) =>
  clientName === undefined
    ? { pk: `REVOKED#${digest(jti)}`, sk: 'JTI' }
    : { pk: `REVOKED#${digest(`${clientName}\n${jti}`)}`, sk: 'CLIENT_JTI' };

/** The items that revoke `jti`: the operator's global one and, with clientName, the client's own. */
export function revocationKeys(jti: string, clientName?: string): { pk: string; sk: string }[] {
  return clientName === undefined ? [revokedKey(jti)] : [revokedKey(jti), revokedKey(jti, clientName)];
}

/** DynamoDB deletes expired items late: a revocation item past its `expiresAt` counts as absent. */
export function isLiveRevocation(item: Record<string, unknown>, nowSeconds: number): boolean {
  const expiresAt = item[TTL_ATTRIBUTE];
  return typeof expiresAt !== 'number' || expiresAt > nowSeconds;
}

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

  async revoke(jti: string, revokedBy: string, clientName?: string): Promise<{ expiresAt: number }> {
    const now = Math.floor(this.clock() / 1000);
    const expiresAt = now + REVOKED_JTI_RETENTION_SECONDS;
    // iam: dynamodb:PutItem table dynamodb:LeadingKeys=REVOKED#<sha256(jti)>
    await guarded('revoke jti', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...revokedKey(jti, clientName),
            type: 'revocation',
            revokedAt: new Date(now * 1000).toISOString(),
            revokedBy,
            [TTL_ATTRIBUTE]: expiresAt,
          },
        }),
      ),
    );
    return { expiresAt };
  }

  /** Revoked for everyone, or (with clientName) among that client's own tokens. */
  async isRevoked(jti: string, clientName?: string): Promise<boolean> {
    const keys = revocationKeys(jti, clientName);
    // iam: dynamodb:BatchGetItem table dynamodb:LeadingKeys=REVOKED#<sha256(jti)>
    const out = await guarded('read revocation', () =>
      this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: this.consistent } } })),
    );
    // Fail closed: an unanswered key could be a revocation.
    if ((out.UnprocessedKeys?.[this.tableName]?.Keys?.length ?? 0) > 0) throw new ServiceUnavailableError('Revocations could not be read');
    const now = Math.floor(this.clock() / 1000);
    return (out.Responses?.[this.tableName] ?? []).some((item) => isLiveRevocation(item, now));
  }
}
