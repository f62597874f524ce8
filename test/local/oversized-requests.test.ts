/**
 * Requests over the local gateway's limits get an answer the client can read, never a reset:
 * a 2 MiB body on every route of the table is answered 400 invalid_request (in GraphQL's shape
 * too on POST /graphql), and a 100 KB Authorization header 431 invalid_request, both in JSON.
 * Real sockets: fetch, node:http, and a raw client that sends its whole request before it reads
 * (the client that used to lose the answer to a connection closed under its upload).
 */
import http from 'node:http';
import net from 'node:net';
import { errorBody } from '../../lambdas/core/error-answer';
import { ROUTES } from '../../lambdas/gateway/routes';
import { MAX_BODY_BYTES, MAX_HEADER_BYTES } from '../../lambdas/gateway/settings';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

const TWO_MIB = 2 * 1024 * 1024;
const BIG_AUTHORIZATION = `Bearer ${'a'.repeat(100 * 1024)}`;

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
}, 90_000);
afterAll(() => gw.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  /** A socket error seen by the client (EPIPE, ECONNRESET), if any. */
  readonly error?: string;
}

function parseRaw(text: string, error: string | undefined): RawAnswer {
  const split = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = (split === -1 ? text : text.slice(0, split)).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body: unknown;
  try {
    body = JSON.parse(split === -1 ? '' : text.slice(split + 4));
  } catch {
    body = undefined;
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body, ...(error ? { error } : {}) };
}

/**
 * Sends `first`, waits, sends `rest` in pieces a millisecond apart (an upload paced by the
 * network), and only then reads: the server answers while the rest is still coming, and a
 * connection closed under the upload would fail the next write and lose the answer.
 */
function sendThenRead(first: Buffer, rest: Buffer, piece: number, pauseMs = 200): Promise<RawAnswer> {
  const url = new URL(gw.url('sandbox'));
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let text = '';
    let error: string | undefined;
    socket.pause();
    socket.on('data', (d: Buffer) => {
      text += d.toString('utf8');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => resolve(parseRaw(text, error)));
    socket.on('connect', () => {
      void (async () => {
        socket.write(first);
        await sleep(pauseMs);
        for (let at = 0; at < rest.length && !socket.destroyed; at += piece) {
          if (!socket.write(rest.subarray(at, at + piece))) await new Promise((r) => socket.once('drain', r));
          await sleep(1);
        }
        socket.resume();
        socket.end();
      })();
    });
    setTimeout(() => socket.destroy(), 20_000).unref();
  });
}

const concretePath = (path: string) => path.replace(/\{[^}]+\}/g, 'acme');

describe('a 2 MiB body', () => {
  it('is answered 400 invalid_request in JSON on every route of the table, to a client that reads only after sending', async () => {
    for (const route of ROUTES) {
      const path = concretePath(route.path);
      const head = Buffer.from(
        `${route.method} /sandbox${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Authorization: Bearer not-a-token\r\nContent-Length: ${TWO_MIB}\r\nConnection: close\r\n\r\n`,
      );
      const res = await sendThenRead(head, Buffer.alloc(TWO_MIB, 0x20), 64 * 1024);
      const description = `Body over ${MAX_BODY_BYTES / 1024} KiB`;
      const expected =
        route.errorFormat === 'graphql'
          ? errorBody('invalid_request', description)
          : { error: 'invalid_request', error_description: description };
      expect({ route: `${route.method} ${route.path}`, status: res.status, body: res.body, error: res.error }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 400,
        body: expected,
        error: undefined,
      });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    }
  }, 120_000);

  it('is answered to fetch and to node:http, and the connection serves the next request', async () => {
    const viaFetch = await fetch(gw.url('sandbox', '/graphql'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
      body: Buffer.alloc(TWO_MIB, 0x20),
    });
    expect(viaFetch.status).toBe(400);
    expect(await viaFetch.json()).toMatchObject({ error: 'invalid_request', errors: [{ extensions: { code: 'invalid_request' } }] });

    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await nodeRequest(agent, '/v1/sdk/launch', 'POST', {}, Buffer.alloc(TWO_MIB, 0x20));
      expect(first.status).toBe(400);
      expect(first.body).toEqual({ error: 'invalid_request', error_description: 'Body over 64 KiB' });
      // The body was drained, so the connection was kept and answers again.
      const second = await nodeRequest(agent, '/.well-known/jwks.json', 'GET', {});
      expect(second.status).toBe(200);
      expect(second.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  }, 60_000);
});

describe('a 100 KB Authorization header', () => {
  it('is answered 431 invalid_request in JSON to a client still sending its headers', async () => {
    const head = Buffer.from(
      `GET /sandbox/v1/auth/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${BIG_AUTHORIZATION.slice(0, 20 * 1024)}`,
    );
    const res = await sendThenRead(head, Buffer.from(`${BIG_AUTHORIZATION.slice(20 * 1024)}\r\n\r\n`), 8 * 1024);
    expect(res.error).toBeUndefined();
    expect(res.status).toBe(431);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: `request headers over ${MAX_HEADER_BYTES / 1024} KiB` });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is answered 431 in JSON to fetch and to node:http, on a kept-alive connection and on a route with a body', async () => {
    // fetch keeps connections: the first request leaves one open for the oversized second.
    expect((await fetch(gw.url('sandbox', '/.well-known/jwks.json'))).status).toBe(200);
    const viaFetch = await fetch(gw.url('sandbox', '/v1/auth/verify'), { headers: { Authorization: BIG_AUTHORIZATION } });
    expect(viaFetch.status).toBe(431);
    expect(await viaFetch.json()).toMatchObject({ error: 'invalid_request' });

    const agent = new http.Agent({ keepAlive: false });
    try {
      const res = await nodeRequest(agent, '/graphql', 'POST', { Authorization: BIG_AUTHORIZATION }, Buffer.from('{"query":"{x}"}'));
      expect(res.status).toBe(431);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
    } finally {
      agent.destroy();
    }
  });
});

interface NodeAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly reusedSocket: boolean;
}

function nodeRequest(agent: http.Agent, path: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<NodeAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      gw.url('sandbox', path),
      {
        method,
        agent,
        headers: { 'Content-Type': 'application/json', ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown, reusedSocket: req.reusedSocket });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
