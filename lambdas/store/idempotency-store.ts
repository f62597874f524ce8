/**
 * Idempotency claims (IDEMPOTENCY#<client>#<key>#<sub> / EVENTS): the first request with a key
 * claims it for IDEMPOTENCY_WINDOW_SECONDS and fixes the event's id and receive time; a repeat
 * reads them back. The claim is written with `attribute_not_exists(pk) OR expiresAt < :now`, so an
 * expired claim DynamoDB has not yet swept is taken over rather than trusted (TTL deletes late).
 * Neither the client name nor the key can contain `#`, so the sub (anything) is last.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IDEMPOTENCY_WINDOW_SECONDS } from '../core/idempotency';
import { TTL_ATTRIBUTE } from './table-schema';
import { guarded, isConditionFailure } from './store-errors';

export interface IdempotencyScope {
  readonly clientName: string;
  readonly sub: string;
  readonly key: string;
}

/** What the first request fixed. */
export interface Claim {
  readonly eventId: string;
  readonly receivedAtMs: number;
}

export type ClaimResult =
  { readonly kind: 'first'; readonly claim: Claim } | { readonly kind: 'repeat'; readonly claim: Claim } | { readonly kind: 'mismatch' };

const keyOf = (s: IdempotencyScope) => ({ pk: `IDEMPOTENCY#${s.clientName}#${s.key}#${s.sub}`, sk: 'EVENTS' });

export class IdempotencyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Claims the key for `fingerprint` with `proposed`, or reports the earlier claim. */
  async claim(scope: IdempotencyScope, fingerprint: string, proposed: Claim): Promise<ClaimResult> {
    const nowS = Math.floor(this.clock() / 1000);
    try {
      // iam: dynamodb:PutItem table dynamodb:LeadingKeys=IDEMPOTENCY#<clientName>#<key>#<sub>
      await guarded('claim idempotency key', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...keyOf(scope),
              fingerprint,
              eventId: proposed.eventId,
              receivedAtMs: proposed.receivedAtMs,
              [TTL_ATTRIBUTE]: nowS + IDEMPOTENCY_WINDOW_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR #exp < :now',
            ExpressionAttributeNames: { '#exp': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': nowS },
          }),
        ),
      );
      return { kind: 'first', claim: proposed };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    // iam: dynamodb:GetItem table dynamodb:LeadingKeys=IDEMPOTENCY#<clientName>#<key>#<sub>
    const out = await guarded('read idempotency key', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: keyOf(scope), ConsistentRead: true })),
    );
    const item = out.Item;
    // The condition failed, so a live claim existed a moment ago; one gone by now (swept at the
    // very end of its window) answers 503, and the caller's next retry claims the key afresh.
    if (!item || typeof item.eventId !== 'string' || typeof item.receivedAtMs !== 'number') {
      throw new Error('idempotency claim vanished between write and read');
    }
    if (item.fingerprint !== fingerprint) return { kind: 'mismatch' };
    return { kind: 'repeat', claim: { eventId: item.eventId, receivedAtMs: item.receivedAtMs } };
  }
}
