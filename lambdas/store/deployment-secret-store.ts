/**
 * Per-deployment secret keys (DEPLOYMENT / SECRET#<purpose>), e.g. the device-hash key.
 * Created on first use with a conditional write, so concurrent cold starts agree on one
 * key; sealed by the keyring (KMS in AWS) and opened once per container.
 */
import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Keyring } from './keyring';
import { guarded, isConditionFailure } from './store-errors';

export type SecretPurpose = 'device-hash';

const keyOf = (purpose: SecretPurpose) => ({ pk: 'DEPLOYMENT', sk: `SECRET#${purpose}` });
const sealContext = (tableName: string, purpose: SecretPurpose) => ({ purpose: 'deployment-secret', table: tableName, name: purpose });

export class DeploymentSecretStore {
  private readonly opened = new Map<SecretPurpose, Promise<Buffer>>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly keyring: Keyring,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The 32-byte key for `purpose`; cached for the container's life (it never rotates by itself). */
  get(purpose: SecretPurpose): Promise<Buffer> {
    let p = this.opened.get(purpose);
    if (!p) {
      p = this.load(purpose);
      // A failed load (table down) must not stick: the next request tries again.
      p.catch(() => this.opened.delete(purpose));
      this.opened.set(purpose, p);
    }
    return p;
  }

  private async load(purpose: SecretPurpose): Promise<Buffer> {
    const existing = await this.read(purpose);
    if (existing) return this.keyring.open(existing, sealContext(this.tableName, purpose));
    const sealed = await this.keyring.seal(randomBytes(32), sealContext(this.tableName, purpose));
    try {
      // iam: dynamodb:PutItem table dynamodb:LeadingKeys=DEPLOYMENT
      await guarded('create deployment secret', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keyOf(purpose), sealed, createdAt: new Date(this.clock()).toISOString() },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    // Read back: if another container won the race, its key is the one.
    const stored = await this.read(purpose);
    if (!stored) throw new Error(`deployment secret ${purpose} vanished after creation`);
    return this.keyring.open(stored, sealContext(this.tableName, purpose));
  }

  private async read(purpose: SecretPurpose): Promise<string | undefined> {
    // iam: dynamodb:GetItem table dynamodb:LeadingKeys=DEPLOYMENT
    const out = await guarded('read deployment secret', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: keyOf(purpose), ConsistentRead: true })),
    );
    const sealed = (out.Item as { sealed?: unknown } | undefined)?.sealed;
    return typeof sealed === 'string' ? sealed : undefined;
  }
}
