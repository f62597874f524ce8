/**
 * An HTTP proxy in front of the test DynamoDB that can hold chosen requests for a while, so
 * a test can make two requests' reads overlap for certain (read-modify-write races) instead
 * of hoping the scheduler does. Everything else passes through untouched.
 *
 *   const proxy = await startDelayProxy(process.env.DYNAMODB_ENDPOINT);
 *   proxy.delay = (target, body) => target.endsWith('.GetItem') && body.includes('"PROFILE"') ? 300 : 0;
 *   proxy.delay = () => barrier; // or hold until a promise settles
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DelayProxy {
  readonly endpoint: string;
  /** Milliseconds to hold a request (by its X-Amz-Target and JSON body), or a promise to wait for; 0 passes it at once. */
  delay: (target: string, body: string) => number | Promise<unknown>;
  close(): Promise<void>;
}

export async function startDelayProxy(upstream: string): Promise<DelayProxy> {
  const target = new URL(upstream);
  const proxy: { delay: DelayProxy['delay'] } = { delay: () => 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const wait = proxy.delay(String(req.headers['x-amz-target'] ?? ''), body.toString('utf8'));
      const held = typeof wait === 'number' ? new Promise((r) => setTimeout(r, wait)) : wait;
      void held.then(() => {
        const out = http.request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        out.on('error', () => res.destroy());
        out.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get delay() {
      return proxy.delay;
    },
    set delay(fn) {
      proxy.delay = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
