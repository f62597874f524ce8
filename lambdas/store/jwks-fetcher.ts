/**
 * Fetches a tenant's JWKS URL (contract: 5 s timeout, 512 KiB cap, https only, never a
 * private or link-local address; plain http to loopback only in the local gateway).
 *
 * node:http(s) rather than global fetch, because the address check must run on the address
 * actually connected to: the `lookup` hook validates every DNS answer at connect time, so a
 * name that resolves to a public address when checked and to 169.254.169.254 when used
 * (DNS rebinding) is refused too. Redirects are refused (never followed), so a public URL
 * cannot bounce the request inward. IP-literal hosts bypass `lookup`, so they are checked
 * before the request.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { JwksDocument, JwksFetcher } from '../core/jwks-cache';
import { addressAllowed, classifyAddress } from '../core/address-policy';

export const JWKS_FETCH_TIMEOUT_MS = 5_000;
export const JWKS_MAX_BYTES = 512 * 1024;
const MAX_URL_LENGTH = 2048;

export class JwksFetchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JwksFetchError';
  }
}

/**
 * What is wrong with the URL itself, known before any request: the only fetch failure whose
 * text a registering caller is shown (core/key-registration.ts).
 */
export class JwksUrlError extends JwksFetchError {
  constructor(message: string) {
    super(message);
    this.name = 'JwksUrlError';
  }
}

export interface JwksFetcherOptions {
  /** LOCAL_MODE=1: http and loopback addresses allowed (the local gateway only). */
  allowLoopback?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** Test seam for DNS: resolves a host name to addresses. @default dns.lookup */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

const systemResolve = (hostname: string): Promise<LookupAddress[]> =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))),
  );

/** Syntax and scheme of a JWKS URL; shared by registration (400) and fetching. */
export function checkJwksUrl(raw: string, allowLoopback: boolean): URL {
  if (raw.length > MAX_URL_LENGTH) throw new JwksUrlError('URL too long');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new JwksUrlError('not a URL');
  }
  if (url.username || url.password) throw new JwksUrlError('URL must not carry credentials');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowLoopback)) throw new JwksUrlError('URL must be https');
  const host = bareHost(url);
  if (isIP(host)) {
    const ok = url.protocol === 'http:' ? classifyAddress(host) === 'loopback' : addressAllowed(host, allowLoopback);
    if (!ok)
      throw new JwksUrlError(
        url.protocol === 'http:' ? 'plain http is allowed to loopback only' : 'URL points to a private, loopback or link-local address',
      );
  }
  return url;
}

function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Parses `max-age` from Cache-Control; `no-store`/`no-cache` mean "as short as allowed". */
export function maxAgeOf(cacheControl: string | undefined): number | undefined {
  if (!cacheControl) return undefined;
  if (/(^|,)\s*(no-store|no-cache)\s*(,|$)/i.test(cacheControl)) return 0;
  const m = /(?:^|,)\s*max-age\s*=\s*"?(\d{1,10})"?\s*(?:,|$)/i.exec(cacheControl);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

export function createJwksFetcher(options: JwksFetcherOptions = {}): JwksFetcher {
  const allowLoopback = options.allowLoopback === true;
  const timeoutMs = options.timeoutMs ?? JWKS_FETCH_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? JWKS_MAX_BYTES;
  const resolve = options.resolve ?? systemResolve;

  // Called by net.connect for host names: every answer must be allowed, or none is used.
  // Plain http (local gateway only) must stay on loopback.
  const checkedLookup =
    (httpOnly: boolean): LookupFunction =>
    (hostname, opts: LookupOptions, callback) => {
      resolve(hostname).then(
        (addrs) => {
          const ok = (a: string) => (httpOnly ? classifyAddress(a) === 'loopback' : addressAllowed(a, allowLoopback));
          if (addrs.length === 0 || !addrs.every((a) => ok(a.address))) {
            callback(new JwksFetchError('host resolves to a private, loopback or link-local address'), '', 4);
            return;
          }
          if (opts.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addrs);
          else callback(null, (addrs[0] as LookupAddress).address, (addrs[0] as LookupAddress).family);
        },
        (err: unknown) => callback(err as NodeJS.ErrnoException, '', 4),
      );
    };

  return async (raw: string): Promise<JwksDocument> => {
    const url = checkJwksUrl(raw, allowLoopback);
    const signal = AbortSignal.timeout(timeoutMs);
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise<JwksDocument>((resolvePromise, reject) => {
      const fail = (message: string, cause?: unknown) => reject(new JwksFetchError(message, cause === undefined ? undefined : { cause }));
      const req = lib.request(
        url,
        {
          method: 'GET',
          headers: { accept: 'application/jwk-set+json, application/json' },
          lookup: checkedLookup(url.protocol === 'http:'),
          signal,
          // No pooled sockets: each fetch resolves (and checks) its address again.
          agent: false,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status !== 200) {
            res.resume();
            req.destroy();
            fail(status >= 300 && status < 400 ? 'redirects are not followed' : `status ${status}`);
            return;
          }
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > maxBytes) {
            req.destroy();
            fail('response over the size cap');
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              req.destroy();
              fail('response over the size cap');
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', (err) => fail(signal.aborted ? 'timed out' : 'response failed', err));
          res.on('end', () => {
            if (size > maxBytes) return;
            let body: unknown;
            try {
              body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch (err) {
              fail('response is not JSON', err);
              return;
            }
            const cc = res.headers['cache-control'];
            const maxAge = maxAgeOf(Array.isArray(cc) ? cc.join(',') : cc);
            resolvePromise(maxAge === undefined ? { body } : { body, maxAgeSeconds: maxAge });
          });
        },
      );
      req.on('error', (err) => fail(signal.aborted ? 'timed out' : err instanceof JwksFetchError ? err.message : 'request failed', err));
      req.end();
    });
  };
}
