/**
 * A client that signs its own HS256 tokens with its clientSecret, the way an integration built on
 * `jsonwebtoken.sign(payload, clientSecret)` does. The gateway accepts that token as is:
 * the HMAC key is the UTF-8 bytes of the secret string, and `iat` is added, `exp` optional.
 * This file does what jsonwebtoken does with node:crypto only, so it runs without that package.
 *
 *   WK_BASE_URL=http://127.0.0.1:3000/sandbox WK_CLIENT_NAME=acme-app WK_CLIENT_SECRET=... \
 *     npx tsx examples/hs256-self-signed.ts
 *
 * (Create the client first: npx workoutkit client create acme-app --url $WK_BASE_URL.)
 */
import { createHmac } from 'node:crypto';

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/**
 * `jsonwebtoken.sign(payload, secret)` with its defaults: header `{"alg":"HS256","typ":"JWT"}`,
 * `iat` = now (unless the payload has one), no `exp` unless the payload sets it.
 */
export function signLikeJsonwebtoken(payload: Record<string, unknown>, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ ...payload, iat: payload.iat ?? nowSeconds }));
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${header}.${body}`).digest();
  return `${header}.${body}.${b64url(signature)}`;
}

export interface Hs256ExampleOptions {
  /** A stage's base URL, e.g. http://127.0.0.1:3000/sandbox */
  readonly baseUrl: string;
  readonly clientName: string;
  readonly clientSecret: string;
  /** The end user the call is for. */
  readonly sub?: string;
}

export async function runHs256Example(o: Hs256ExampleOptions): Promise<Record<string, unknown>> {
  // The payload such integrations send: the client's name and the end user; no exp.
  const token = signLikeJsonwebtoken({ clientName: o.clientName, sub: o.sub ?? 'user-123', user: { plan: 'premium' } }, o.clientSecret);
  const res = await fetch(`${o.baseUrl}/v1/auth/verify`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { error?: string; error_description?: string; [name: string]: unknown };
  if (res.status !== 200) throw new Error(`GET /v1/auth/verify answered ${res.status}: ${body.error} — ${body.error_description}`);
  return body;
}

if (require.main === module) {
  const env = process.env;
  const clientName = env.WK_CLIENT_NAME ?? env.CLIENT_NAME;
  const clientSecret = env.WK_CLIENT_SECRET ?? env.CLIENT_SECRET;
  if (!clientName || !clientSecret) {
    console.error('Set WK_CLIENT_NAME and WK_CLIENT_SECRET (npx workoutkit client create <name> prints the secret once).');
    process.exit(2);
  }
  runHs256Example({
    baseUrl: env.WK_BASE_URL ?? env.BASE_URL ?? 'http://127.0.0.1:3000/sandbox',
    clientName,
    clientSecret,
    ...(env.WK_SUB ? { sub: env.WK_SUB } : {}),
  }).then(
    (entity) => console.log(JSON.stringify(entity, null, 2)),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
