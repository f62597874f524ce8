/**
 * Helpers shared by the jest global setup/teardown: a free loopback port, and waiting
 * until a DynamoDB endpoint answers.
 */
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import net from 'node:net';
import { localClientConfig } from '../../local/embedded-store';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls ListTables until the endpoint answers, or throws after `timeoutMs`. */
export async function waitForDynamo(endpoint: string, timeoutMs: number, isDead: () => boolean = () => false): Promise<void> {
  const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (err) {
        if (isDead()) throw new Error(`DynamoDB at ${endpoint} exited before answering`, { cause: err });
        if (Date.now() > deadline)
          throw new Error(`DynamoDB at ${endpoint} did not answer in ${timeoutMs} ms: ${String(err)}`, { cause: err });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    client.destroy();
  }
}
