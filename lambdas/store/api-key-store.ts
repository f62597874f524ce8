/**
 * Client API keys: the value API Gateway meters a client by (the authorizer returns it as
 * `usageIdentifierKey`), and the key the catalog route accepts in `x-api-key`.
 *
 * The value is sealed on the client profile (the authorizer opens it through the cached
 * client directory, so a warm container pays one keyring open per client), and a lookup
 * item `APIKEY#<sha256(value)>` maps a presented key to its client without storing it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Keyring } from './keyring';
import { guarded } from './store-errors';
import { clientKey } from './table-schema';

export interface StoredApiKey {
  sealed: string;
  /** Hex SHA-256 of the value: the lookup item's key. */
  sha256: string;
  createdAt: string;
  /** API Gateway's id of the key (AWS only); the plan it is attached to follows the client's tier. */
  awsKeyId?: string;
}

/**
 * 256 bits of randomness as 64 hex characters: URL-safe (contract) and within API Gateway's
 * rule that a key value is 20 to 128 alphanumeric characters (base64url's `-`/`_` are not).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 */
export function newApiKey(): string {
  return randomBytes(32).toString('hex');
}

export function apiKeyDigest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export const apiKeyLookupKey = (sha256: string) => ({ pk: `APIKEY#${sha256}`, sk: 'APIKEY' });
export const apiKeyContext = (tableName: string, clientName: string) => ({ purpose: 'api-key', table: tableName, clientName });

export class ApiKeyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly keyring: Keyring,
  ) {}

  async seal(clientName: string, value: string, now: Date, aws: Pick<StoredApiKey, 'awsKeyId'> = {}): Promise<StoredApiKey> {
    const sealed = await this.keyring.seal(Buffer.from(value, 'utf8'), apiKeyContext(this.tableName, clientName));
    return { sealed, sha256: apiKeyDigest(value), createdAt: now.toISOString(), ...aws };
  }

  /**
   * Writes the lookup item, then puts the key on the client's profile; if the second write
   * fails the lookup item is removed again. Two conditional writes rather than a transaction,
   * because the embedded store (dynalite) has no TransactWriteItems. The moment in between is
   * harmless: the key value was just generated and has not been shown to anyone, so nobody
   * can present it yet. Fails if the client already has a key (one key per client).
   */
  async attach(clientName: string, key: StoredApiKey): Promise<void> {
    // iam: dynamodb:PutItem table dynamodb:LeadingKeys=APIKEY#<sha256(key)>
    await guarded('attach api key', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...apiKeyLookupKey(key.sha256), type: 'apikey', clientName, createdAt: key.createdAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    try {
      // iam: dynamodb:UpdateItem table dynamodb:LeadingKeys=CLIENT#<clientName>
      await guarded('attach api key', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: clientKey(clientName),
            UpdateExpression: 'SET apiKey = :k, version = version + :one',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(apiKey)',
            ExpressionAttributeValues: { ':k': key, ':one': 1 },
          }),
        ),
      );
    } catch (err) {
      // iam: dynamodb:DeleteItem table dynamodb:LeadingKeys=APIKEY#<sha256(key)>
      await guarded('detach api key', () =>
        this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: apiKeyLookupKey(key.sha256) })),
      );
      throw err;
    }
  }

  async open(clientName: string, key: StoredApiKey): Promise<string> {
    return (await this.keyring.open(key.sealed, apiKeyContext(this.tableName, clientName))).toString('utf8');
  }

  /** The client a presented key belongs to (x-api-key), or undefined. Only the digest is read. */
  async clientFor(value: string): Promise<string | undefined> {
    // iam: dynamodb:GetItem table dynamodb:LeadingKeys=APIKEY#<sha256(key)>
    const out = await guarded('find api key', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: apiKeyLookupKey(apiKeyDigest(value)) })),
    );
    const name: unknown = out.Item?.clientName;
    return typeof name === 'string' ? name : undefined;
  }

  /** Removes a key's lookup item (client deletion): the key value finds no client any more. */
  async removeLookup(sha256: string): Promise<void> {
    // iam: dynamodb:DeleteItem table dynamodb:LeadingKeys=APIKEY#<sha256(key)>
    await guarded('remove api key', () => this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: apiKeyLookupKey(sha256) })));
  }
}
