/**
 * The local gateway's DynamoDB: dynalite (in-process, LevelDB under the data dir) by
 * default, or any endpoint given by `DYNAMODB_ENDPOINT` (DynamoDB Local, or real AWS).
 * Creates one table per stage from lambdas/store/table-schema.ts, as the CDK stack does.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { StageName } from '../lambdas/gateway/settings';
import { CLIENT_INDEX, TABLE_KEYS, TTL_ATTRIBUTE } from '../lambdas/store/table-schema';
import { lockDir } from './dir-lock';

export const DEFAULT_TABLE_PREFIX = 'workoutkit';

export interface EmbeddedStoreOptions {
  readonly dataDir: string;
  readonly tenant: string;
  readonly stages: readonly StageName[];
  /** Use this endpoint instead of starting dynalite. */
  readonly endpoint?: string;
  /** Table names are `<prefix>-<tenant>-<stage>`. @default 'workoutkit' */
  readonly tablePrefix?: string;
  readonly log?: (line: string) => void;
}

export interface EmbeddedStore {
  readonly endpoint: string;
  readonly kind: 'dynalite' | 'external';
  readonly tableNames: Readonly<Record<StageName, string>>;
  close(): Promise<void>;
}

export function tableNameFor(prefix: string, tenant: string, stage: StageName): string {
  return `${prefix}-${tenant}-${stage}`;
}

/**
 * Client settings for a given endpoint. Local emulators accept any credentials, but
 * DynamoDB Local keeps one database per access key + region unless started with
 * -sharedDb, so every local client must use these same values.
 */
export function localClientConfig(endpoint: string): DynamoDBClientConfig {
  const host = new URL(endpoint).hostname;
  if (host.endsWith('.amazonaws.com')) return { endpoint }; // real AWS: default credential chain + region
  return {
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  };
}

export async function startEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const log = options.log ?? (() => undefined);
  const prefix = options.tablePrefix ?? DEFAULT_TABLE_PREFIX;
  let server: Server | undefined;
  let releaseLock = (): void => undefined;
  let endpoint = options.endpoint;
  if (endpoint === undefined) {
    const dir = path.join(options.dataDir, 'dynalite');
    mkdirSync(dir, { recursive: true });
    releaseLock = lockDir(dir);
    server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    try {
      endpoint = await listenLoopback(server);
    } catch (err) {
      releaseLock();
      throw err;
    }
  }
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const close = async (): Promise<void> => {
    client.destroy();
    if (server) await closeDynalite(server);
    releaseLock();
  };
  try {
    const tableNames = {} as Record<StageName, string>;
    for (const stage of options.stages) {
      const name = tableNameFor(prefix, options.tenant, stage);
      await ensureTable(client, name, log);
      tableNames[stage] = name;
    }
    return { endpoint, kind: server ? 'dynalite' : 'external', tableNames, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function listenLoopback(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

function closeDynalite(server: Server): Promise<void> {
  // The SDK keeps connections alive; without this, close() waits for them to time out.
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function ensureTable(client: DynamoDBClient, TableName: string, log: (line: string) => void): Promise<void> {
  let status: string | undefined;
  try {
    const described = await client.send(new DescribeTableCommand({ TableName }));
    status = described.Table?.TableStatus;
  } catch (err) {
    if (errorName(err) !== 'ResourceNotFoundException') throw err;
    try {
      const created = await client.send(
        new CreateTableCommand({
          TableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
            { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
            ...CLIENT_INDEX_ATTRIBUTES,
          ],
          KeySchema: [
            { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [CLIENT_INDEX_SPEC],
        }),
      );
      status = created.TableDescription?.TableStatus;
      log(`created table ${TableName}`);
    } catch (createErr) {
      // Another process (a parallel test worker) created it first: fine.
      if (errorName(createErr) !== 'ResourceInUseException') throw createErr;
    }
  }
  if (status !== 'ACTIVE') await waitUntilTableExists({ client, maxWaitTime: 120 }, { TableName });
  await ensureClientIndex(client, TableName, log);
  await enableTtl(client, TableName, log);
}

const CLIENT_INDEX_ATTRIBUTES = [
  { AttributeName: CLIENT_INDEX.partitionKey, AttributeType: 'S' as const },
  { AttributeName: CLIENT_INDEX.sortKey, AttributeType: 'S' as const },
];
const CLIENT_INDEX_SPEC = {
  IndexName: CLIENT_INDEX.name,
  KeySchema: [
    { AttributeName: CLIENT_INDEX.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: CLIENT_INDEX.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...CLIENT_INDEX.projected] },
};

/** A data folder from before the client index: add it (the deployed table gets it from its template). */
async function ensureClientIndex(client: DynamoDBClient, TableName: string, log: (line: string) => void): Promise<void> {
  const described = await client.send(new DescribeTableCommand({ TableName }));
  if (described.Table?.GlobalSecondaryIndexes?.some((i) => i.IndexName === CLIENT_INDEX.name)) return;
  try {
    await client.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: CLIENT_INDEX_ATTRIBUTES,
        GlobalSecondaryIndexUpdates: [{ Create: CLIENT_INDEX_SPEC }],
      }),
    );
    log(`added the client index to ${TableName}`);
  } catch (err) {
    log(`warning: could not add the client index to ${TableName} (${errorName(err) ?? 'error'}); only the quota monitor reads it`);
  }
}

/**
 * dynalite has no TTL API, and AWS refuses to re-enable an enabled TTL: both are fine,
 * because every read filters expired items itself (table-schema.ts).
 */
async function enableTtl(client: DynamoDBClient, TableName: string, log: (line: string) => void): Promise<void> {
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  } catch (err) {
    const name = errorName(err);
    const message = err instanceof Error ? err.message : '';
    if (name === 'UnknownOperationException' || /already enabled/i.test(message)) return;
    log(`warning: could not enable TTL on ${TableName} (${name ?? 'error'}); reads filter expired items anyway`);
  }
}

function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}
