/**
 * The deployment's signing keys. A key is published in the JWKS from the moment it is
 * written and signs only from `activatesAt`, so verifiers that cached the JWKS know it
 * before they meet it; a rotated-out key stays published until `retiresAt`, after every
 * token it signed has expired (docs/key-rotation.md).
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { generateSigningKey, signingKeyFromPkcs8, verificationKeyOf, type SigningKey } from '../core/signing-key';
import type { DeploymentKeySet } from '../core/verify-token';
import type { VerificationKey } from '../core/verification-key';
import { SIGNING_KEY_LIST_TTL_MS } from '../core/limits';
import type { Keyring } from './keyring';
import { guarded, isConditionFailure } from './store-errors';

export interface SigningKeyItem {
  kid: string;
  sealed: string;
  publicJwk: Record<string, unknown>;
  createdAt: string;
  /** Epoch seconds from which the key signs. */
  activatesAt: number;
  /** Epoch seconds after which it is no longer published nor accepted. */
  retiresAt?: number;
}

const PK = 'SIGNING_KEYS';
const keyContext = (tableName: string, kid: string) => ({ purpose: 'signing-key', table: tableName, kid });

const UNKNOWN_KID_COOLDOWN_MS = 30_000;

export class SigningKeyStore implements DeploymentKeySet {
  private cached: { items: SigningKeyItem[]; at: number } | undefined;
  private lastForcedRefresh = 0;
  private readonly opened = new Map<string, SigningKey>();
  private readonly verifiers = new Map<string, VerificationKey>();
  private readonly sortKeys = new Map<string, string>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly keyring: Keyring,
    private readonly clock: () => number = Date.now,
  ) {}

  async list(force = false): Promise<SigningKeyItem[]> {
    const now = this.clock();
    if (!force && this.cached && now - this.cached.at < SIGNING_KEY_LIST_TTL_MS) return this.cached.items;
    // iam: dynamodb:Query table dynamodb:LeadingKeys=SIGNING_KEYS
    const out = await guarded('list signing keys', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': PK },
          ConsistentRead: true,
        }),
      ),
    );
    const items = (out.Items ?? []).map(({ pk: _pk, sk, ...rest }) => {
      this.sortKeys.set(String(rest.kid), String(sk));
      return rest as SigningKeyItem;
    });
    this.cached = { items, at: now };
    return items;
  }

  /** Keys to publish at GET /.well-known/jwks.json: pending, current and not yet retired. */
  async published(): Promise<SigningKeyItem[]> {
    const nowS = Math.floor(this.clock() / 1000);
    return (await this.list()).filter((k) => k.retiresAt === undefined || k.retiresAt > nowS);
  }

  /** DeploymentKeySet: a published key by kid; an unknown kid re-reads at most once per cool-down. */
  async get(kid: string): Promise<VerificationKey | undefined> {
    // Runs on every issued token: one lookup in the cached list, no copy of it.
    let hit = this.publishedItem(await this.list(), kid);
    const now = this.clock();
    if (!hit && now - this.lastForcedRefresh >= UNKNOWN_KID_COOLDOWN_MS) {
      this.lastForcedRefresh = now;
      hit = this.publishedItem(await this.list(true), kid);
    }
    if (!hit) return undefined;
    let vk = this.verifiers.get(kid);
    if (!vk) {
      // Verifying needs only the published half: the authorizer never opens a private key.
      vk = verificationKeyOf({ kid, publicKey: createPublicKey({ key: hit.publicJwk as JsonWebKey, format: 'jwk' }) });
      this.verifiers.set(kid, vk);
    }
    return vk;
  }

  /** The item `published()` would list for `kid`. */
  private publishedItem(items: readonly SigningKeyItem[], kid: string): SigningKeyItem | undefined {
    const nowS = Math.floor(this.clock() / 1000);
    return items.find((k) => k.kid === kid && (k.retiresAt === undefined || k.retiresAt > nowS));
  }

  /** The key to sign with now; the first call in a fresh deployment creates one. */
  async current(): Promise<SigningKey> {
    const nowS = Math.floor(this.clock() / 1000);
    const pick = (items: SigningKeyItem[]) =>
      items
        .filter((k) => k.activatesAt <= nowS && (k.retiresAt === undefined || k.retiresAt > nowS))
        .sort((a, b) => b.activatesAt - a.activatesAt)[0];
    let item = pick(await this.list());
    if (!item) item = pick(await this.list(true));
    if (!item) {
      await this.add(nowS, 'bootstrap');
      item = pick(await this.list(true));
    }
    if (!item) throw new Error('no signing key could be created');
    return this.open(item);
  }

  /**
   * Writes a new key that signs from `activatesAt`. `slot` = 'bootstrap' makes concurrent
   * first calls create exactly one key (the conditional write lets one win).
   */
  async add(activatesAt: number, slot?: 'bootstrap'): Promise<SigningKeyItem> {
    const { key, privatePkcs8 } = generateSigningKey();
    const item: SigningKeyItem = {
      kid: key.kid,
      sealed: await this.keyring.seal(privatePkcs8, keyContext(this.tableName, key.kid)),
      publicJwk: key.publicKey.export({ format: 'jwk' }),
      createdAt: new Date(this.clock()).toISOString(),
      activatesAt,
    };
    const sk = slot === 'bootstrap' ? 'KEY#0000-bootstrap' : `KEY#${item.createdAt}#${key.kid}`;
    try {
      // iam: dynamodb:PutItem table dynamodb:LeadingKeys=SIGNING_KEYS
      await guarded('add signing key', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: PK, sk, ...item },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    this.cached = undefined;
    return item;
  }

  /** Schedules a key's end: published and accepted until `retiresAt` (epoch seconds). */
  async retire(kid: string, retiresAt: number): Promise<void> {
    if (!this.sortKeys.has(kid)) await this.list(true);
    const sk = this.sortKeys.get(kid);
    if (sk === undefined) throw new Error(`no signing key ${kid}`);
    // iam: dynamodb:UpdateItem table dynamodb:LeadingKeys=SIGNING_KEYS
    await guarded('retire signing key', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: PK, sk },
          UpdateExpression: 'SET retiresAt = :r',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':r': retiresAt },
        }),
      ),
    );
    this.cached = undefined;
  }

  private async open(item: SigningKeyItem): Promise<SigningKey> {
    let key = this.opened.get(item.kid);
    if (!key) {
      const pkcs8 = await this.keyring.open(item.sealed, keyContext(this.tableName, item.kid));
      key = signingKeyFromPkcs8(item.kid, pkcs8);
      this.opened.set(item.kid, key);
    }
    return key;
  }
}
