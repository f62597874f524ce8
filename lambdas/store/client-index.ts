/**
 * Every client of the deployment, for periodic jobs (the quota monitor): a Query over the client
 * index (CLIENT_INDEX), page by page — never a table scan. Index reads are eventually
 * consistent: a client created a moment ago may be missing from one run.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClientRecord } from './client-store';
import { guarded } from './store-errors';
import { CLIENT_INDEX } from './table-schema';

export type IndexedClient = Pick<ClientRecord, 'clientName' | 'quota' | 'tier' | 'createdAt' | 'disabled'>;

export async function* listClients(doc: DynamoDBDocumentClient, tableName: string): AsyncGenerator<IndexedClient> {
  let start: Record<string, unknown> | undefined;
  do {
    // iam: dynamodb:Query table/index/clients
    const page = await guarded('list clients', () =>
      doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: CLIENT_INDEX.name,
          KeyConditionExpression: '#type = :client',
          ExpressionAttributeNames: { '#type': CLIENT_INDEX.partitionKey },
          ExpressionAttributeValues: { ':client': 'client' },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    for (const item of page.Items ?? []) {
      const { pk: _pk, sk: _sk, type: _type, ...record } = item;
      yield record as IndexedClient;
    }
    start = page.LastEvaluatedKey;
  } while (start);
}
