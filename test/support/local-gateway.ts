/**
 * Starts the local gateway for one test file: port 0, a temp data dir, unique tables on the
 * DynamoDB the jest global setup started (DYNAMODB_ENDPOINT), quiet. Diagnostics are muted
 * unless WK_TEST_GATEWAY_LOG=1.
 *
 *   const gw = await startTestGateway();
 *   afterAll(() => gw.close());
 *   const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
 *   const created = await gw.admin('sandbox', 'POST', '/admin/clients', { clientName: 'acme' });
 *
 * Each answer is held to docs/openapi.json: an undocumented status or a body its schema
 * refuses fails the call (test/support/openapi-answers.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_KEY_HEADER, type StageName } from '../../lambdas/gateway/settings';
import { type LocalGateway, type LocalGatewayOptions, startLocalGateway } from '../../local/gateway';
import { answerMismatch } from './openapi-answers';

export interface CallOptions {
  /** JSON-encoded unless a string or Buffer. */
  readonly body?: unknown;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body; undefined when it is not JSON. */
  readonly json: unknown;
  /** `json` typed as a plain record, for `res.body.error`-style assertions. */
  readonly body: Record<string, unknown>;
}

export interface TestGateway {
  readonly gateway: LocalGateway;
  readonly dataDir: string;
  readonly tablePrefix: string;
  /** A stage's base URL, e.g. `http://127.0.0.1:41234/sandbox`. */
  url(stage: StageName, path?: string): string;
  call(stage: StageName, method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** A call with the stage's operator key. */
  admin(stage: StageName, method: string, path: string, body?: unknown): Promise<CallResult>;
  close(): Promise<void>;
}

export interface TestGatewayOptions extends Partial<LocalGatewayOptions> {
  /**
   * Every answer is checked against docs/openapi.json (test/support/openapi-answers.ts) unless
   * false: only for gateways whose route table is not the document's.
   */
  readonly checkAnswers?: boolean;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const { checkAnswers: check, ...overrides } = options;
  // A gateway with its own routes or functions answers for a table the document does not describe.
  const checkAnswers = check ?? (overrides.routes === undefined && overrides.functions === undefined);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wk-gw-'));
  // DynamoDB table names: [a-zA-Z0-9_.-]; one prefix per gateway keeps test files apart.
  const tablePrefix = `t${randomBytes(5).toString('hex')}`;
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  const verbose = process.env.WK_TEST_GATEWAY_LOG === '1';
  // WK_BUNDLES=cdk.out: the deploy rehearsal (local/bundles.ts), for gateways that run the real functions.
  const bundles = process.env.WK_BUNDLES && !overrides.functions && !overrides.routes ? process.env.WK_BUNDLES : undefined;
  let gateway: LocalGateway;
  try {
    gateway = await startLocalGateway({
      port: 0,
      dataDir,
      tablePrefix,
      quiet: !verbose,
      log: verbose ? (line) => console.error(line) : () => undefined,
      ...(endpoint ? { dynamoEndpoint: endpoint } : {}),
      ...(bundles
        ? { bundles: { cdkOut: path.resolve(bundles), ...(verbose ? { log: (line: string) => console.error(line) } : {}) } }
        : {}),
      ...overrides,
    });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }

  const url = (stage: StageName, p = ''): string => `${gateway.stages[stage].baseUrl}${p}`;
  const call = async (stage: StageName, method: string, p: string, options: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Buffer | undefined;
    if (options.body !== undefined) {
      if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) body = options.body;
      else {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const qs = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
    const res = await fetch(url(stage, p) + qs, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
    if (checkAnswers) {
      const mismatch = answerMismatch(method.toUpperCase(), p.split('?')[0] as string, res.status, res.headers.get('content-type'), text);
      if (mismatch !== undefined) throw new Error(`The answer disagrees with docs/openapi.json: ${mismatch}`);
    }
    return { status: res.status, headers: res.headers, text, json, body: record };
  };
  const admin = (stage: StageName, method: string, p: string, body?: unknown): Promise<CallResult> =>
    call(stage, method, p, {
      headers: { [ADMIN_KEY_HEADER]: gateway.stages[stage].adminKey },
      ...(body === undefined ? {} : { body }),
    });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    try {
      await gateway.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  return { gateway, dataDir, tablePrefix, url, call, admin, close };
}
