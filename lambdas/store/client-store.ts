/**
 * Client profiles: settings, sealed secrets, registered keys, revocation cut-off.
 * One item per client (`CLIENT#<name>` / `PROFILE`), versioned for optimistic updates.
 */
import { randomBytes } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClientSettings } from '../core/client-settings';
import { ConflictError, NotFoundError, ServiceUnavailableError } from '../core/errors';
import type { StoredApiKey } from './api-key-store';
import type { Keyring } from './keyring';
import { guarded, isConditionFailure } from './store-errors';
import { clientKey } from './table-schema';

export interface SealedSecret {
  sealed: string;
  createdAt: string;
  /** Epoch seconds after which a rotated-out secret stops working; absent for the current one. */
  validUntil?: number;
}

export interface RegisteredKeys {
  kind: 'jwks' | 'jwks_uri' | 'pem';
  jwks?: unknown;
  jwksUri?: string;
  pem?: string;
  updatedAt: string;
}

export interface ClientRecord extends ClientSettings {
  createdAt: string;
  updatedAt: string;
  version: number;
  secrets: SealedSecret[];
  keys?: RegisteredKeys;
  revokedBefore?: number;
  /** The client's API key (usage plans, catalog reads), sealed; absent on clients created before keys existed. */
  apiKey?: StoredApiKey;
}

/**
 * What a deleted client leaves: only when (epoch seconds) it was deleted, so a client created
 * later with the same name starts with a cut-off after it and never accepts the old tokens.
 */
export const deletedClientKey = (clientName: string) => ({ pk: `CLIENT#${clientName}`, sk: 'DELETED' });
export const secretContext = (tableName: string, clientName: string) => ({ purpose: 'client-secret', table: tableName, clientName });

/** 256 bits of randomness, URL-safe (contract, POST /admin/clients). */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export class ClientStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly keyring: Keyring,
  ) {}

  async create(settings: ClientSettings, now: Date): Promise<{ record: ClientRecord; clientSecret: string }> {
    const clientSecret = newClientSecret();
    const sealed = await this.keyring.seal(Buffer.from(clientSecret, 'utf8'), secretContext(this.tableName, settings.clientName));
    const record: ClientRecord = {
      ...settings,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 1,
      secrets: [{ sealed, createdAt: now.toISOString() }],
    };
    // Contract: a client created with a deleted client's name never accepts tokens issued
    // before its own createdAt. The cut-off is the second after the deletion (iat has second
    // resolution), so even a token of the old client issued in the deletion's second is refused.
    // iam: dynamodb:GetItem table dynamodb:LeadingKeys=CLIENT#<clientName>
    const deleted = await guarded('get client', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: deletedClientKey(settings.clientName), ConsistentRead: true })),
    );
    if (typeof deleted.Item?.deletedAt === 'number') record.revokedBefore = deleted.Item.deletedAt + 1;
    try {
      // iam: dynamodb:PutItem table dynamodb:LeadingKeys=CLIENT#<clientName>
      await guarded('create client', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...clientKey(settings.clientName), type: 'client', ...record },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError('A client with this clientName exists');
      throw err;
    }
    return { record, clientSecret };
  }

  async get(clientName: string, consistent = false): Promise<ClientRecord | undefined> {
    // iam: dynamodb:GetItem table dynamodb:LeadingKeys=CLIENT#<clientName>
    const out = await guarded('get client', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: clientKey(clientName), ConsistentRead: consistent })),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, type: _type, ...record } = out.Item;
    return record as ClientRecord;
  }

  /**
   * Replaces the record if nobody changed it since `expectedVersion` (the caller re-reads
   * and retries on conflict), so concurrent rotations never drop a secret.
   */
  async replace(record: ClientRecord, expectedVersion: number): Promise<boolean> {
    try {
      // iam: dynamodb:PutItem table dynamodb:LeadingKeys=CLIENT#<clientName>
      await guarded('update client', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...clientKey(record.clientName), type: 'client', ...record, version: expectedVersion + 1 },
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': expectedVersion },
          }),
        ),
      );
      record.version = expectedVersion + 1;
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /**
   * Read-modify-write with optimistic concurrency: re-reads and retries when another
   * writer got in between, so two concurrent changes (a rotation and a revocation, say)
   * never drop each other. 404 for an unknown client.
   */
  async update(clientName: string, mutate: (record: ClientRecord) => void | Promise<void>): Promise<ClientRecord> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const record = await this.get(clientName, true);
      if (!record) throw new NotFoundError('No such client');
      const expected = record.version;
      await mutate(record);
      if (await this.replace(record, expected)) return record;
    }
    throw new ServiceUnavailableError('The client is being changed concurrently; retry');
  }

  /**
   * Deletes the profile, leaving the DELETED marker (deletedClientKey) first so that no moment
   * exists in which the name is free and the old tokens' cut-off unknown.
   */
  async remove(clientName: string, now: Date): Promise<void> {
    // iam: dynamodb:PutItem table dynamodb:LeadingKeys=CLIENT#<clientName>
    await guarded('delete client', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...deletedClientKey(clientName), type: 'deleted-client', deletedAt: Math.floor(now.getTime() / 1000) },
        }),
      ),
    );
    // iam: dynamodb:DeleteItem table dynamodb:LeadingKeys=CLIENT#<clientName>
    await guarded('delete client', () => this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: clientKey(clientName) })));
  }

  /**
   * Undoes a half-made client (its creation failed after the profile was written): the profile
   * goes without a DELETED marker, since no credential of it was ever handed out.
   */
  async discard(clientName: string): Promise<void> {
    // iam: dynamodb:DeleteItem table dynamodb:LeadingKeys=CLIENT#<clientName>
    await guarded('remove client', () => this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: clientKey(clientName) })));
  }

  /** Seals a new secret for the client (the caller shows it once and stores the sealed form). */
  async sealSecret(clientName: string, secret: string): Promise<string> {
    return this.keyring.seal(Buffer.from(secret, 'utf8'), secretContext(this.tableName, clientName));
  }

  /** The secrets that work at `nowSeconds`, opened. */
  async openSecrets(record: ClientRecord, nowSeconds: number): Promise<Buffer[]> {
    const live = record.secrets.filter((s) => s.validUntil === undefined || s.validUntil > nowSeconds);
    return Promise.all(live.map((s) => this.keyring.open(s.sealed, secretContext(this.tableName, record.clientName))));
  }
}
