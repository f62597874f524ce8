/**
 * A tenant's backend calling WorkoutKit with its own ES256 key (copy and adapt).
 *
 *   WK_BASE_URL=http://127.0.0.1:3000/sandbox WK_ADMIN_KEY=... npx tsx examples/tenant-es256.ts
 *
 * 1. Load the tenant's private key (PKCS#8 PEM from WK_PRIVATE_KEY_FILE) or generate one.
 * 2. Register its public half as a JWKS with the operator API (in production the platform
 *    team does this step, or the client itself through /v1/settings; the private key never
 *    leaves the tenant).
 * 3. Sign a short-lived token with jose and call GET /v1/auth/verify.
 * 4. Read a workout session for that end user (GET /v1/{clientName}/sessions/{sessionId};
 *    WK_SESSION_ID, default hiit-20-core, a demo session the local gateway seeds).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importPKCS8, SignJWT, type CryptoKey, type KeyObject } from 'jose';

export interface ExampleOptions {
  /** A stage's base URL, e.g. http://127.0.0.1:3000/sandbox */
  baseUrl: string;
  /** The stage's operator key (locally; in AWS the operator API is IAM-signed). */
  adminKey: string;
  clientName: string;
  privateKeyPem?: string;
  /** @default 'hiit-20-core' */
  sessionId?: string;
}

export interface ExampleResult {
  /** What GET /v1/auth/verify says about the token. */
  entity: Record<string, unknown>;
  /** The session payload's headline fields. */
  session: { id: unknown; type: unknown; title: unknown };
}

async function call(url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function runExample(o: ExampleOptions): Promise<ExampleResult> {
  // 1. The tenant's key pair.
  let privateKey: CryptoKey | KeyObject;
  let publicKey: CryptoKey | KeyObject;
  if (o.privateKeyPem) {
    privateKey = await importPKCS8(o.privateKeyPem, 'ES256', { extractable: true });
    const { createPublicKey } = await import('node:crypto');
    publicKey = createPublicKey(o.privateKeyPem);
  } else {
    ({ privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true }));
  }
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const publicJwk = { ...jwk, kid, alg: 'ES256', use: 'sig' };

  // 2. Register the public key (the client is created first if it does not exist yet).
  const admin = { 'content-type': 'application/json', 'x-workoutkit-admin-key': o.adminKey };
  const created = await call(`${o.baseUrl}/admin/clients`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ clientName: o.clientName }),
  });
  if (created.status !== 201 && created.status !== 409) throw new Error(`create client: ${created.status} ${JSON.stringify(created.body)}`);
  const registered = await call(`${o.baseUrl}/admin/clients/${o.clientName}/keys`, {
    method: 'PUT',
    headers: admin,
    body: JSON.stringify({ jwks: { keys: [publicJwk] } }),
  });
  if (registered.status !== 200) throw new Error(`register keys: ${registered.status} ${JSON.stringify(registered.body)}`);
  // The gateway's authorizers keep a client's keys for up to 5 s: for a client that existed (and
  // may have been read a moment ago), a new key is accepted once that has passed.
  if (created.status === 409) await new Promise((resolve) => setTimeout(resolve, 6_000));

  // 3. A 5-minute token naming the client in `iss`, for end user `user-123`.
  const token = await new SignJWT({ scope: ['read'] })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setIssuer(o.clientName)
    .setSubject('user-123')
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti(randomUUID())
    .sign(privateKey);
  const verified = await call(`${o.baseUrl}/v1/auth/verify`, { headers: { authorization: `Bearer ${token}` } });
  if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${JSON.stringify(verified.body)}`);

  // 4. A session payload for user-123 (no X-WorkoutKit-Device: a backend needs no launch token).
  const sessionId = o.sessionId ?? 'hiit-20-core';
  const read = await call(`${o.baseUrl}/v1/${encodeURIComponent(o.clientName)}/sessions/${encodeURIComponent(sessionId)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (read.status !== 200) throw new Error(`session: ${read.status} ${JSON.stringify(read.body)}`);
  return { entity: verified.body, session: { id: read.body.id, type: read.body.type, title: read.body.title } };
}

if (require.main === module) {
  const adminKey = process.env.WK_ADMIN_KEY;
  if (!adminKey) {
    console.error('Set WK_ADMIN_KEY (npm start prints the operator key of each stage).');
    process.exit(2);
  }
  const file = process.env.WK_PRIVATE_KEY_FILE;
  runExample({
    baseUrl: process.env.WK_BASE_URL ?? 'http://127.0.0.1:3000/sandbox',
    adminKey,
    clientName: process.env.WK_CLIENT_NAME ?? 'example-tenant',
    ...(process.env.WK_SESSION_ID ? { sessionId: process.env.WK_SESSION_ID } : {}),
    ...(file ? { privateKeyPem: readFileSync(file, 'utf8') } : {}),
  }).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
