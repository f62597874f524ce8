/**
 * HTTP plumbing for the local gateway: node:http with API Gateway's URL shape
 * (`/{stage}/{path}`), the header and body limits, request ids and the access log line.
 * The request flow itself is in request-pipeline.ts.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { answerRequestId, REQUEST_ID_HEADER } from '../lambdas/core/request-id';
import { STAGES, type StageName, MAX_BODY_BYTES, MAX_HEADER_BYTES } from '../lambdas/gateway/settings';
import { type GatewayAnswer, jsonErrorAnswer, templateAnswer } from './answers';
import { handleStageRequest, type PipelineDeps } from './request-pipeline';

/**
 * How much of a body (or of a header block) over the limits is still read and dropped so the
 * refusal can be read. A client that sends its whole request before reading the answer (many
 * do) never sees an answer written to a connection closed under its upload: its next write
 * meets a reset. Past this bound the connection is closed anyway. API Gateway accepts no
 * payload over 10 MB, so nothing a client may send it is cut here.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
 */
export const DRAIN_CAP_BYTES = 10 * 1024 * 1024;
/** After answering a request that could not be parsed: how long a silent client keeps its connection, and any client at most. */
const LINGER_MS = 1_000;
const LINGER_MAX_MS = 10_000;

/**
 * How long a client may take to send its headers, and then its body: a slow sender holds a
 * connection (and, for the body, a handler waiting on it) no longer than this. Both ends are
 * answered in the contract's JSON error shape (408 invalid_request) and the connection closes.
 * Node checks the header deadline every HEADER_CHECK_INTERVAL_MS, so headers are cut between
 * 30 and 32 s; the body deadline is a timer of its own and exact.
 * https://nodejs.org/api/http.html#serverheaderstimeout
 */
export const REQUEST_DEADLINE_MS = 30_000;
const HEADER_CHECK_INTERVAL_MS = 2_000;

export interface GatewayServerOptions {
  readonly stages: ReadonlyMap<StageName, PipelineDeps>;
  /** Access log (one line per request); never given headers, tokens or bodies. */
  readonly accessLog?: (line: string) => void;
  /** Diagnostics (handler failures). */
  readonly log: (line: string) => void;
  /** From the end of the headers to the end of the body. @default REQUEST_DEADLINE_MS */
  readonly bodyTimeoutMs?: number;
}

export function createGatewayServer(options: GatewayServerOptions): http.Server {
  // Node answers 431 itself once the header block passes maxHeaderSize (contract: 431 locally).
  const server = http.createServer(
    { maxHeaderSize: MAX_HEADER_BYTES, headersTimeout: REQUEST_DEADLINE_MS, connectionsCheckingInterval: HEADER_CHECK_INTERVAL_MS },
    (req, res) => {
      trackResponse(req.socket, res);
      handle(options, req, res).catch((err: unknown) => {
        options.log(`gateway error: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    },
  );
  server.on('clientError', onClientError);
  return server;
}

async function handle(options: GatewayServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const started = Date.now();
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q + 1);
  const method = req.method ?? 'GET';

  const stageName = pathname.split('/')[1] ?? '';
  const deps = (STAGES as readonly string[]).includes(stageName) ? options.stages.get(stageName as StageName) : undefined;
  const body = new BodyConsumer(req, started + (options.bodyTimeoutMs ?? REQUEST_DEADLINE_MS));
  let answer: GatewayAnswer;
  if (!deps) {
    answer = templateAnswer('MISSING_AUTHENTICATION_TOKEN');
  } else {
    const path = pathname.slice(stageName.length + 1) || '/';
    try {
      answer = await handleStageRequest(
        deps,
        {
          requestId,
          requestTimeEpoch: started,
          stage: stageName as StageName,
          apiId: deps.runtime.apiId,
          method,
          path,
          query,
          rawHeaders: req.rawHeaders,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          domainName: req.headers.host ?? '127.0.0.1',
        },
        () => body.read(MAX_BODY_BYTES),
      );
    } catch (err) {
      options.log(`pipeline error: ${err instanceof Error ? err.message : String(err)}`);
      answer = templateAnswer('DEFAULT_5XX');
    }
  }
  // A body nobody read still has to leave the socket before the answer, or the client may
  // see a reset instead of it; a huge one is not worth reading, so that connection closes.
  const drained = await body.drain();
  // As in AWS: the gateway's own id is the event's requestId; the answer echoes the caller's
  // X-Request-Id when it is safe to (the handlers do the same), so refusals made here match.
  const answerId = answerRequestId(req.headers['x-request-id'], requestId);
  write(res, answer, answerId, !drained);
  const callerId = answerId === requestId ? '' : ` (${answerId})`;
  options.accessLog?.(
    `${new Date(started).toISOString()} ${requestId}${callerId} ${method} ${pathname} ${answer.status} ${Date.now() - started}ms`,
  );
}

const HOP_BY_HOP = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade']);

function write(res: ServerResponse, answer: GatewayAnswer, requestId: string, close: boolean): void {
  res.statusCode = answer.status;
  let hasRequestId = false;
  for (const [name, value] of Object.entries(answer.headers)) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) continue;
    if (lower === 'x-request-id') hasRequestId = true;
    res.setHeader(name, typeof value === 'string' ? value : [...value]);
  }
  if (!hasRequestId) res.setHeader(REQUEST_ID_HEADER, requestId);
  res.setHeader('Content-Length', answer.body.length);
  if (close) res.setHeader('Connection', 'close');
  res.end(answer.body);
}

/** Reads a request body once, keeping at most `limit` bytes, until a deadline. */
class BodyConsumer {
  private result: Promise<Consumed> | undefined;

  constructor(
    private readonly req: IncomingMessage,
    /** Epoch ms by which the body must have arrived. */
    private readonly deadline: number,
  ) {}

  /** The body, or why not: over the limit (what is over is discarded), or not in time. */
  async read(limit: number): Promise<{ ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'timeout' }> {
    this.result ??= consume(this.req, limit, this.deadline);
    const { body, timedOut } = await this.result;
    if (timedOut) return { ok: false, reason: 'timeout' };
    return body ? { ok: true, body } : { ok: false, reason: 'too_large' };
  }

  /** Reads (and drops) whatever was not read; false if the connection must close. */
  async drain(): Promise<boolean> {
    this.result ??= consume(this.req, 0, this.deadline);
    return (await this.result).complete;
  }
}

interface Consumed {
  readonly body: Buffer | undefined;
  /** The whole body was read: the connection can be kept. */
  readonly complete: boolean;
  readonly timedOut: boolean;
}

function consume(req: IncomingMessage, limit: number, deadline: number): Promise<Consumed> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (req.complete || (Number.isFinite(declared) && declared === 0)) {
      req.resume();
      resolve({ body: Buffer.alloc(0), complete: true, timedOut: false });
      return;
    }
    if (Number.isFinite(declared) && declared > DRAIN_CAP_BYTES) {
      resolve({ body: declared > limit ? undefined : Buffer.alloc(0), complete: false, timedOut: false });
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (complete: boolean, timedOut = false) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      resolve({ body: total > limit ? undefined : Buffer.concat(chunks), complete, timedOut });
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total <= limit) chunks.push(chunk);
      else chunks.length = 0;
      if (total > DRAIN_CAP_BYTES) {
        req.pause();
        finish(false);
      }
    };
    const onEnd = () => finish(true);
    const onAbort = () => finish(false);
    // A body still arriving at the deadline is given up on: the connection closes after the answer.
    const timer = setTimeout(
      () => {
        req.pause();
        finish(false, true);
      },
      Math.max(0, deadline - Date.now()),
    );
    timer.unref();
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}

/**
 * Errors before a request exists (header block over maxHeaderSize, malformed HTTP):
 * answer like Node's default handler, but in the contract's JSON error shape.
 */
function onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const timeout = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  // An answer already being written cannot be followed by another (a kept-alive connection
  // whose earlier answers are complete can, as Node's default handler does).
  if (err.code === 'ECONNRESET' || !socket.writable || responding.get(socket)?.headersSent) {
    // A second parse error on a connection already answered (the rest of the same header block)
    // changes nothing: lingerThenClose is reading it.
    if (!lingering.has(socket)) socket.destroy();
    return;
  }
  const answer = tooLarge
    ? jsonErrorAnswer('invalid_request', `request headers over ${MAX_HEADER_BYTES / 1024} KiB`, { transportStatus: 431 })
    : timeout
      ? jsonErrorAnswer('invalid_request', 'request timeout', { transportStatus: 408 })
      : jsonErrorAnswer('invalid_request', 'malformed HTTP request');
  const reason = tooLarge ? 'Request Header Fields Too Large' : timeout ? 'Request Timeout' : 'Bad Request';
  const head =
    `HTTP/1.1 ${answer.status} ${reason}\r\nContent-Type: application/json\r\n` +
    `X-Request-Id: ${randomUUID()}\r\nContent-Length: ${answer.body.length}\r\nConnection: close\r\n\r\n`;
  lingerThenClose(socket, Buffer.concat([Buffer.from(head, 'latin1'), answer.body]));
}

const lingering = new WeakSet<Duplex>();
/** The answer in progress on each connection, until it is written. */
const responding = new WeakMap<Duplex, ServerResponse>();

function trackResponse(socket: Duplex, res: ServerResponse): void {
  responding.set(socket, res);
  res.on('finish', () => {
    if (responding.get(socket) === res) responding.delete(socket);
  });
}

/**
 * Writes `answer`, ends the sending side, and reads and drops what the client still sends
 * (the rest of an oversized header block) until it closes, stays quiet for LINGER_MS, passes
 * DRAIN_CAP_BYTES or LINGER_MAX_MS: closing with unread bytes would reset the connection, and
 * a client still uploading would lose the answer.
 * The server's sockets are half-open capable (https://nodejs.org/api/net.html#netcreateserveroptions-connectionlistener,
 * allowHalfOpen), so ending ours leaves the client's direction readable.
 */
function lingerThenClose(socket: Duplex, answer: Buffer): void {
  lingering.add(socket);
  let received = 0;
  let quiet: NodeJS.Timeout | undefined;
  const close = () => {
    clearTimeout(quiet);
    clearTimeout(hardStop);
    socket.destroy();
  };
  const hardStop = setTimeout(close, LINGER_MAX_MS);
  hardStop.unref();
  const waitQuiet = () => {
    clearTimeout(quiet);
    quiet = setTimeout(close, LINGER_MS);
    quiet.unref();
  };
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > DRAIN_CAP_BYTES) close();
    else waitQuiet();
  });
  socket.on('end', close);
  socket.on('close', () => {
    clearTimeout(quiet);
    clearTimeout(hardStop);
  });
  socket.end(answer);
  waitQuiet();
  socket.resume();
}
