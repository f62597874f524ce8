/**
 * User events (EVENTS#<client>#<sub> / <received iso>#<id>): one partition per end user of
 * a client, time-ordered, kept for EVENT_RETENTION_DAYS through the TTL attribute.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UserEventInput } from '../core/user-events';
import { TTL_ATTRIBUTE } from './table-schema';
import { guarded } from './store-errors';

export const EVENT_RETENTION_DAYS = 90;

export interface StoredEvent extends UserEventInput {
  id: string;
  clientName: string;
  sub: string;
  receivedAt: string;
}

const pkOf = (clientName: string, sub: string) => `EVENTS#${clientName}#${sub}`;

export class EventStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Writes one event. With `fixed` (an idempotency claim) its id and receive time are the
   * claim's, so the item key is too: writing it again for a repeat overwrites the same item,
   * never adds a second one.
   */
  async record(
    clientName: string,
    sub: string,
    input: UserEventInput,
    fixed?: { readonly eventId: string; readonly receivedAtMs: number },
  ): Promise<StoredEvent> {
    const now = fixed?.receivedAtMs ?? this.clock();
    const event: StoredEvent = { ...input, id: fixed?.eventId ?? randomUUID(), clientName, sub, receivedAt: new Date(now).toISOString() };
    // iam: dynamodb:PutItem table dynamodb:LeadingKeys=EVENTS#<clientName>#<sub>
    await guarded('record event', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: pkOf(clientName, sub),
            sk: `${event.receivedAt}#${event.id}`,
            ...event,
            [TTL_ATTRIBUTE]: Math.floor(now / 1000) + EVENT_RETENTION_DAYS * 86_400,
          },
        }),
      ),
    );
    return event;
  }

  /** The user's most recent events, newest first (expired ones filtered: TTL deletes late). */
  async recent(clientName: string, sub: string, limit = 50): Promise<StoredEvent[]> {
    const now = Math.floor(this.clock() / 1000);
    // iam: dynamodb:Query table dynamodb:LeadingKeys=EVENTS#<clientName>#<sub>
    const out = await guarded('list events', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pkOf(clientName, sub) },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? [])
      .filter((i) => typeof i[TTL_ATTRIBUTE] === 'number' && i[TTL_ATTRIBUTE] > now)
      .map(({ pk: _pk, sk: _sk, [TTL_ATTRIBUTE]: _ttl, ...rest }) => rest as StoredEvent);
  }
}
