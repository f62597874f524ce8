/**
 * The DynamoDB document client, created once per container (or per local stage)
 * and passed in. An explicit endpoint (embedded store, DynamoDB Local) gets dummy
 * credentials unless real ones are configured.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const clients = new Map<string, DynamoDBDocumentClient>();

export function documentClient(endpoint?: string): DynamoDBDocumentClient {
  const key = endpoint ?? '';
  let doc = clients.get(key);
  if (!doc) {
    const base = endpoint
      ? new DynamoDBClient({
          endpoint,
          region: process.env.AWS_REGION ?? 'local',
          credentials: process.env.AWS_ACCESS_KEY_ID ? undefined : { accessKeyId: 'local', secretAccessKey: 'local' },
          maxAttempts: 2,
        })
      : new DynamoDBClient({ maxAttempts: 3 });
    doc = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    clients.set(key, doc);
  }
  return doc;
}
