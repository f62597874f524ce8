/**
 * Deletes every item of one partition (client deletion): a Query of the keys, page by page, then
 * one DeleteItem each. Only for partitions bounded by retention (counters, the auth-failure log),
 * never on the request path.
 */
import { DeleteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { guarded } from './store-errors';

export async function deletePartition(doc: DynamoDBDocumentClient, tableName: string, pk: string): Promise<number> {
  let removed = 0;
  let start: Record<string, unknown> | undefined;
  do {
    // iam: dynamodb:Query table dynamodb:LeadingKeys=USAGE#C#<clientName>#<shard>
    // iam: dynamodb:Query table dynamodb:LeadingKeys=AUTHLOG#<clientName>
    const page = await guarded('list partition', () =>
      doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'pk, sk',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    for (const item of page.Items ?? []) {
      // iam: dynamodb:DeleteItem table dynamodb:LeadingKeys=USAGE#C#<clientName>#<shard>
      // iam: dynamodb:DeleteItem table dynamodb:LeadingKeys=AUTHLOG#<clientName>
      await guarded('delete item', () =>
        doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: item.pk as string, sk: item.sk as string } })),
      );
      removed++;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return removed;
}
