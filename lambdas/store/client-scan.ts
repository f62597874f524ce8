/**
 * Every client profile of the deployment, for periodic jobs (the quota monitor). A Scan is
 * fine there: one table per tenant × stage, a handful of clients, every 15 minutes; the
 * request path never scans.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClientRecord } from './client-store';
import { guarded } from './store-errors';

export async function* scanClients(doc: DynamoDBDocumentClient, tableName: string): AsyncGenerator<ClientRecord> {
  let start: Record<string, unknown> | undefined;
  do {
    // iam: dynamodb:Scan table
    const page = await guarded('scan clients', () =>
      doc.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: 'begins_with(pk, :p) AND sk = :s',
          ExpressionAttributeValues: { ':p': 'CLIENT#', ':s': 'PROFILE' },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    for (const item of page.Items ?? []) {
      const { pk: _pk, sk: _sk, type: _type, ...record } = item;
      yield record as ClientRecord;
    }
    start = page.LastEvaluatedKey;
  } while (start);
}
