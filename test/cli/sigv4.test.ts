/**
 * Operator calls to a deployed stage are SigV4-signed for execute-api. A local server stands in
 * for API Gateway and records what arrives; the credentials are static test values from the
 * environment (the default credential chain reads them), never real ones.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { cli } from './run-cli';

const ACCESS_KEY = 'AKIDEXAMPLETEST00001';
const SECRET_KEY = 'test/secret/not+a+real+key/0000000000000';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
const recorded: Recorded[] = [];
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) saved[k] = process.env[k];
  process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = SECRET_KEY;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      recorded.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ clientName: 'sig-acme', clientSecret: 'x'.repeat(43) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await new Promise((r) => server.close(r));
});

describe('SigV4 signing of operator calls', () => {
  it('signs for execute-api in the given region with the credential chain, and the signature verifies', async () => {
    recorded.length = 0;
    const run = await cli(['client', 'create', 'sig-acme', '--url', base, '--auth', 'iam', '--region', 'eu-west-1', '--json'], {});
    expect(run.code).toBe(0);
    const req = recorded[0] as Recorded;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/prod/admin/clients');
    expect(req.headers['x-workoutkit-admin-key']).toBeUndefined();
    const auth = String(req.headers.authorization);
    expect(auth).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/\\d{8}/eu-west-1/execute-api/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$`,
      ),
    );
    const amzDate = String(req.headers['x-amz-date']);
    expect(amzDate).toMatch(/^\d{8}T\d{6}Z$/);

    // Re-sign what arrived with the same key and time: a server holding the secret accepts it.
    const signedHeaders = (/SignedHeaders=([^,]+)/.exec(auth)?.[1] ?? '').split(';');
    const headers: Record<string, string> = {};
    for (const h of signedHeaders) headers[h] = String(req.headers[h]);
    const when = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const verifier = new SignatureV4({
      service: 'execute-api',
      region: 'eu-west-1',
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
      sha256: Sha256,
    });
    const expected = await verifier.sign(
      { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', path: '/prod/admin/clients', query: {}, headers, body: req.body },
      { signingDate: when },
    );
    expect(expected.headers.authorization).toBe(auth);
    expect(JSON.parse(req.body)).toEqual({ clientName: 'sig-acme' });
  });

  it('takes the region from an execute-api host', async () => {
    recorded.length = 0;
    const seen: string[] = [];
    const signer = async (input: { url: URL; headers: Readonly<Record<string, string>> }) => {
      seen.push(input.url.href);
      return { ...input.headers };
    };
    // The signer seam records the URL; the host does not resolve, so the run ends in a network error.
    const run = await cli(
      [
        'client',
        'show',
        'acme',
        '--url',
        'https://abc123.execute-api.ap-southeast-2.amazonaws.invalid/prod',
        '--auth',
        'iam',
        '--region',
        'ap-southeast-2',
        '--timeout',
        '2',
      ],
      {},
      signer,
    );
    expect(seen).toEqual(['https://abc123.execute-api.ap-southeast-2.amazonaws.invalid/prod/admin/clients/acme']);
    expect(run.code).toBe(3);
  });

  it('never signs the public /authtoken call', async () => {
    recorded.length = 0;
    await cli(['token', 'sig-acme', '--url', base, '--auth', 'iam', '--region', 'eu-west-1'], { WK_CLIENT_SECRET: 's' });
    expect(recorded[0]?.headers.authorization).toBeUndefined();
  });
});
