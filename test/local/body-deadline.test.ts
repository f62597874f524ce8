/**
 * The local gateway's body deadline: a request whose body is still arriving when the deadline
 * passes is answered 408 invalid_request in JSON and its connection closed, as slow headers
 * are. Raw sockets against the local gateway (a short deadline for the test).
 */
import net from 'node:net';
import { createGatewayServer, REQUEST_DEADLINE_MS } from '../../local/server';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

const DEADLINE_MS = 600;
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ bodyTimeoutMs: DEADLINE_MS });
}, 90_000);
afterAll(() => gw.close());

interface RawAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly closedAfterMs: number;
}

/** Sends the headers and part of a body, then nothing; resolves when the server closes the connection. */
function slowBody(path: string, extraHeaders = ''): Promise<RawAnswer> {
  const url = new URL(gw.url('sandbox', path));
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(url.port), url.hostname);
    let text = '';
    socket.on('data', (d) => {
      text += d.toString('utf8');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const status = Number(head.split(' ')[1]);
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body) as Record<string, unknown>;
      } catch {
        parsed = {};
      }
      resolve({ status, body: parsed, closedAfterMs: Date.now() - started });
    });
    socket.write(
      `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n${extraHeaders}\r\n{"clientName":`,
    );
    // Hard stop for the test: a server without a deadline would hold this for minutes.
    setTimeout(() => socket.destroy(), 10_000).unref();
  });
}

it('answers a body that stops arriving with 408 invalid_request in JSON, and closes the connection', async () => {
  const res = await slowBody('/authtoken');
  expect(res.status).toBe(408);
  expect(res.body.error).toBe('invalid_request');
  expect(res.closedAfterMs).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
  expect(res.closedAfterMs).toBeLessThan(5_000);
});

it('answers the same on POST /graphql, in both error shapes', async () => {
  const res = await slowBody('/graphql', 'Authorization: Bearer whatever\r\n');
  expect(res.status).toBe(408);
  expect(res.body).toMatchObject({ error: 'invalid_request', errors: [{ extensions: { code: 'invalid_request' } }] });
  expect(res.closedAfterMs).toBeLessThan(5_000);
});

it('closes the connection of an unknown route whose body never ends, after the same deadline', async () => {
  const res = await slowBody('/no-such-route');
  expect(res.status).toBe(404);
  expect(res.closedAfterMs).toBeLessThan(5_000);
});

it('cuts slow headers after the same deadline by default', () => {
  const server = createGatewayServer({ stages: new Map(), log: () => undefined });
  expect(server.headersTimeout).toBe(REQUEST_DEADLINE_MS);
  expect(REQUEST_DEADLINE_MS).toBeLessThanOrEqual(30_000);
  server.close();
});
