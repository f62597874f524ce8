/**
 * Workout session content: one item per session (SESSION#<id> / CONTENT) holding the
 * validated payload. Reads are eventually consistent: content changes rarely and a read a
 * moment stale is harmless (the token binds whatever payload was served).
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { catalogEntry } from '../core/catalog';
import type { WorkoutSession } from '../core/workout-sessions';
import { CatalogStore } from './catalog-store';
import { guarded, isConditionFailure } from './store-errors';

const keyOf = (id: string) => ({ pk: `SESSION#${id}`, sk: 'CONTENT' });

export interface StoredSession {
  session: WorkoutSession;
  updatedAt: string;
}

export class WorkoutSessionStore {
  /** The public summaries (GET /v1/{clientName}/catalog), written after each session. */
  readonly catalog: CatalogStore;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.catalog = new CatalogStore(doc, tableName);
  }

  async get(id: string): Promise<StoredSession | undefined> {
    // iam: dynamodb:GetItem table dynamodb:LeadingKeys=SESSION#<id>
    const out = await guarded('read session', () => this.doc.send(new GetCommand({ TableName: this.tableName, Key: keyOf(id) })));
    const item = out.Item as { session?: WorkoutSession; updatedAt?: string } | undefined;
    if (!item?.session || item.session.id !== id) return undefined;
    return { session: item.session, updatedAt: item.updatedAt ?? '' };
  }

  /** Upsert; returns whether the session existed before. */
  async put(session: WorkoutSession): Promise<{ created: boolean; updatedAt: string }> {
    const updatedAt = new Date(this.clock()).toISOString();
    // iam: dynamodb:PutItem table dynamodb:LeadingKeys=SESSION#<id>
    const out = await guarded('write session', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf(session.id), session, updatedAt },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    // Not one transaction (it would lose ALL_OLD): if this write fails the PUT answers 503 and
    // the operator's retry, an idempotent upsert, writes both again.
    await this.catalog.put(catalogEntry(session));
    return { created: out.Attributes === undefined, updatedAt };
  }

  /** Writes the session only if no session with that id exists (never overwrites an operator's edit). */
  async putIfAbsent(session: WorkoutSession): Promise<boolean> {
    try {
      // iam: dynamodb:PutItem table dynamodb:LeadingKeys=SESSION#<id>
      await guarded('seed session', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keyOf(session.id), session, updatedAt: new Date(this.clock()).toISOString() },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      await this.catalog.put(catalogEntry(session));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
