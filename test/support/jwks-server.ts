/**
 * A tenant's JWKS endpoint on loopback (plain http, allowed only in LOCAL_MODE), counting
 * hits, whose behaviour a test switches: serve keys with a Cache-Control, fail, hang,
 * answer too large, or redirect.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type JwksServerMode = 'ok' | 'down' | 'hang' | 'huge' | 'redirect';

export interface JwksServer {
  readonly url: string;
  hits: number;
  mode: JwksServerMode;
  keys: Record<string, unknown>[];
  cacheControl: string | undefined;
  /** Where 'redirect' points. */
  redirectTo: string;
  close(): Promise<void>;
}

export async function startJwksServer(keys: Record<string, unknown>[] = []): Promise<JwksServer> {
  const sockets = new Set<import('node:net').Socket>();
  const state = {
    hits: 0,
    mode: 'ok' as JwksServerMode,
    keys,
    cacheControl: 'max-age=600' as string | undefined,
    redirectTo: 'http://169.254.169.254/latest/meta-data/',
  };
  const server = http.createServer((req, res) => {
    state.hits++;
    switch (state.mode) {
      case 'down':
        res.writeHead(500).end('down');
        return;
      case 'hang':
        return; // never answers; the client's timeout must end it
      case 'redirect':
        res.writeHead(302, { location: state.redirectTo }).end();
        return;
      case 'huge': {
        // Streamed without Content-Length, so only counting bytes as they arrive stops it.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 4 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end('{}');
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
      default: {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (state.cacheControl !== undefined) headers['cache-control'] = state.cacheControl;
        res.writeHead(200, headers).end(JSON.stringify({ keys: state.keys }));
      }
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const api: JwksServer = {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get hits() {
      return state.hits;
    },
    set hits(v) {
      state.hits = v;
    },
    get mode() {
      return state.mode;
    },
    set mode(m) {
      state.mode = m;
    },
    get keys() {
      return state.keys;
    },
    set keys(k) {
      state.keys = k;
    },
    get cacheControl() {
      return state.cacheControl;
    },
    set cacheControl(c) {
      state.cacheControl = c;
    },
    get redirectTo() {
      return state.redirectTo;
    },
    set redirectTo(r) {
      state.redirectTo = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return api;
}
