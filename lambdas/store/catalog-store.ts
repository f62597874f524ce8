/**
 * The catalogue index: one small item per session (`CATALOG` / `SESSION#<id>`) holding its
 * public summary, so a page of the catalogue is one Query instead of a Scan over a table
 * that also holds clients, tokens and events. WorkoutSessionStore writes it with each session.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CatalogEntry, CatalogQuery } from '../core/catalog';
import { guarded, isConditionFailure } from './store-errors';

export const CATALOG_PARTITION = 'CATALOG';
const keyOf = (id: string) => ({ pk: CATALOG_PARTITION, sk: `SESSION#${id}` });

export interface CatalogPage {
  items: CatalogEntry[];
  /** The id of the last item when more follow. */
  lastId?: string;
}

export class CatalogStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(entry: CatalogEntry): Promise<void> {
    // iam: dynamodb:PutItem table dynamodb:LeadingKeys=CATALOG
    await guarded('write catalog entry', () =>
      this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keyOf(entry.id), type: 'catalog', entry } })),
    );
  }

  /** Backfill: writes the entry only where none exists. */
  async putIfAbsent(entry: CatalogEntry): Promise<boolean> {
    try {
      // iam: dynamodb:PutItem table dynamodb:LeadingKeys=CATALOG
      await guarded('write catalog entry', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keyOf(entry.id), type: 'catalog', entry },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** Entries in id order after `q.after`; one more is read than returned, to know whether more follow. */
  async page(q: CatalogQuery): Promise<CatalogPage> {
    // iam: dynamodb:Query table dynamodb:LeadingKeys=CATALOG
    const out = await guarded('read catalog', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: q.after === undefined ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk AND sk > :after',
          ExpressionAttributeValues:
            q.after === undefined
              ? { ':pk': CATALOG_PARTITION, ':prefix': 'SESSION#' }
              : { ':pk': CATALOG_PARTITION, ':after': `SESSION#${q.after}` },
          Limit: q.limit + 1,
        }),
      ),
    );
    const entries = (out.Items ?? []).map((i) => i.entry as CatalogEntry);
    const items = entries.slice(0, q.limit);
    const last = items[items.length - 1];
    return entries.length > q.limit && last ? { items, lastId: last.id } : { items };
  }
}
