/**
 * Recent authentication failures per client (`AUTHLOG#<client>` / `<iso time>#<id>`), kept
 * AUTH_LOG_RETENTION_SECONDS through the TTL attribute. An item holds the reason code, the
 * token kind and the time: never the token, a claim value or a key id, so the log cannot
 * leak a credential to whoever reads it. DynamoDB deletes expired items late, so reads
 * filter on the TTL too.
 */
import { randomBytes } from 'node:crypto';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TokenKind } from '../core/verify-token';
import { guarded } from './store-errors';
import { TTL_ATTRIBUTE } from './table-schema';

export const AUTH_LOG_RETENTION_SECONDS = 7 * 24 * 60 * 60;
/** What one read looks at: the counts by reason cover at most this many newest entries. */
export const AUTH_LOG_READ_LIMIT = 500;

export interface AuthLogEntry {
  at: string;
  reason: string;
  tokenKind: TokenKind;
}

export const authLogPartition = (clientName: string) => `AUTHLOG#${clientName}`;

export class AuthLogStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** `signal` aborts the write (the authorizer bounds how long it waits). */
  async record(clientName: string, reason: string, tokenKind: TokenKind, signal?: AbortSignal): Promise<void> {
    const now = this.clock();
    const at = new Date(now).toISOString();
    // iam: dynamodb:PutItem table dynamodb:LeadingKeys=AUTHLOG#<clientName>
    await guarded('record auth log', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: authLogPartition(clientName),
            // A random suffix keeps two failures in the same millisecond apart.
            sk: `${at}#${randomBytes(6).toString('base64url')}`,
            type: 'authlog',
            reason,
            tokenKind,
            [TTL_ATTRIBUTE]: Math.floor(now / 1000) + AUTH_LOG_RETENTION_SECONDS,
          },
        }),
        signal ? { abortSignal: signal } : {},
      ),
    );
  }

  /**
   * Newest first, at most `limit`, only entries still within retention and, with `since` (ISO 8601,
   * the client's createdAt), none from before it: entries are written for any name a refused token
   * gives, so a client created later must not read what was filed under its name before it existed.
   */
  async recent(clientName: string, limit = AUTH_LOG_READ_LIMIT, since?: string): Promise<AuthLogEntry[]> {
    const nowS = Math.floor(this.clock() / 1000);
    // iam: dynamodb:Query table dynamodb:LeadingKeys=AUTHLOG#<clientName>
    const out = await guarded('read auth log', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          // sk starts with the ISO time, so a string comparison orders entries by time.
          KeyConditionExpression: since === undefined ? 'pk = :pk' : 'pk = :pk AND sk >= :since',
          FilterExpression: '#ttl > :now',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':pk': authLogPartition(clientName),
            ':now': nowS,
            ...(since === undefined ? {} : { ':since': since }),
          },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? []).map((item) => ({
      at: String(item.sk).split('#')[0] ?? '',
      reason: String(item.reason),
      tokenKind: item.tokenKind as TokenKind,
    }));
  }
}
