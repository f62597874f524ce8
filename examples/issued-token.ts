/**
 * The simplest way in: exchange the client's name and secret for a 4-hour issued token at
 * POST /authtoken, then call the API with it (and reuse it until `expiresAt`).
 *
 *   WK_BASE_URL=http://127.0.0.1:3000/sandbox WK_CLIENT_NAME=acme-app WK_CLIENT_SECRET=... \
 *     npx tsx examples/issued-token.ts
 */
export interface IssuedTokenOptions {
  readonly baseUrl: string;
  readonly clientName: string;
  readonly clientSecret: string;
  readonly sub?: string;
}

export async function runIssuedTokenExample(o: IssuedTokenOptions): Promise<Record<string, unknown>> {
  const res = await fetch(`${o.baseUrl}/authtoken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientName: o.clientName, clientSecret: o.clientSecret, sub: o.sub ?? 'user-123' }),
  });
  const issued = (await res.json()) as { token?: string; expiresAt?: string; error?: string; error_description?: string };
  // Act on the error code, not the text: invalid_client means a wrong name or secret (the same answer for both).
  if (res.status !== 200 || !issued.token)
    throw new Error(`POST /authtoken answered ${res.status}: ${issued.error} — ${issued.error_description}`);
  const verify = await fetch(`${o.baseUrl}/v1/auth/verify`, { headers: { authorization: `Bearer ${issued.token}` } });
  const body = (await verify.json()) as { error?: string; [name: string]: unknown };
  if (verify.status !== 200) throw new Error(`GET /v1/auth/verify answered ${verify.status}: ${body.error}`);
  return body;
}

if (require.main === module) {
  const env = process.env;
  if (!env.WK_CLIENT_NAME || !env.WK_CLIENT_SECRET) {
    console.error('Set WK_CLIENT_NAME and WK_CLIENT_SECRET (npx workoutkit client create <name> prints the secret once).');
    process.exit(2);
  }
  runIssuedTokenExample({
    baseUrl: env.WK_BASE_URL ?? 'http://127.0.0.1:3000/sandbox',
    clientName: env.WK_CLIENT_NAME,
    clientSecret: env.WK_CLIENT_SECRET,
  }).then(
    (entity) => console.log(JSON.stringify(entity, null, 2)),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
