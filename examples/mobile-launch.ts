/**
 * What a mobile app with the WorkoutKit SDK does to start a workout (docs/launch-tokens.md):
 *
 * 1. Make a random device id once per app lifecycle (never an advertising id, never persisted).
 * 2. Fetch the session through GraphQL with `X-WorkoutKit-Device`; the WorkoutKitToken comes
 *    back in `extensions.workoutkit.token`.
 * 3. Digest the payload the app received with the project's exported function, exactly as the
 *    SDK does on the device, and launch with POST /v1/sdk/launch.
 * 4. Show that a modified payload (an edited title) is refused.
 *
 *   BASE_URL=http://127.0.0.1:3000/sandbox CLIENT_NAME=acme-app CLIENT_SECRET=... npx tsx examples/mobile-launch.ts
 *   BASE_URL=... TOKEN=<a token with sub> npx tsx examples/mobile-launch.ts        # e.g. from: npx workoutkit token acme-app --sub user-42
 *
 * Optional: SESSION_ID (default hiit-20-core, a demo session the local gateway seeds), SUB (default
 * user-42, used with CLIENT_SECRET). The WK_-prefixed names of the other examples work too.
 * In the app, steps 1-2 run in the tenant's backend or app with the user's token; step 3 in the SDK.
 */
import { randomUUID } from 'node:crypto';
import { graphqlPayload } from '../lambdas/core/graphql/projection';
import { payloadDigest } from '../lambdas/core/payload-digest';

export interface MobileLaunchOptions {
  /** A stage's base URL, e.g. http://127.0.0.1:3000/sandbox */
  readonly baseUrl: string;
  /** A bearer token with `sub`; otherwise one is fetched from /authtoken with the client's secret. */
  readonly token?: string;
  readonly clientName?: string;
  readonly clientSecret?: string;
  readonly sub?: string;
  readonly sessionId?: string;
}

export interface MobileLaunchResult {
  sessionId: string;
  type: string;
  title: string;
  payloadDigest: string;
  launch: { valid: true; expiresAt: string };
  modifiedPayload: { status: number; error: string; error_description: string };
}

// The fields a player needs; `workoutKitToken` is not part of the digest (graphqlPayload drops it).
const QUERY = `query Launch($id: ID!) {
  publicWorkoutSession(id: $id) {
    __typename id title durationSeconds level coach { name }
    ... on WorkoutAudioSession { audioUrl }
    ... on WorkoutVideoSession { videoUrl }
    ... on WorkoutBlockSession { blocks { title exercises { name reps durationSeconds } } }
    workoutKitToken
  }
}`;

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const describeError = (what: string, r: { status: number; body: Record<string, unknown> }): Error => {
  const gql = (r.body.errors as { message?: string; extensions?: { code?: string } }[] | undefined)?.[0];
  const code = gql ? gql.extensions?.code : r.body.error;
  const text = gql ? gql.message : r.body.error_description;
  return new Error(`${what} answered ${r.status}: ${String(code)} — ${String(text)}`);
};

async function bearerToken(o: MobileLaunchOptions): Promise<string> {
  if (o.token) return o.token;
  if (!o.clientName || !o.clientSecret) throw new Error('Give TOKEN, or CLIENT_NAME and CLIENT_SECRET');
  const issued = await post(`${o.baseUrl}/authtoken`, { clientName: o.clientName, clientSecret: o.clientSecret, sub: o.sub ?? 'user-42' });
  if (issued.status !== 200) throw describeError('POST /authtoken', issued);
  return issued.body.token as string;
}

export async function runMobileLaunch(o: MobileLaunchOptions): Promise<MobileLaunchResult> {
  const sessionId = o.sessionId ?? 'hiit-20-core';
  const token = await bearerToken(o);

  // 1. App-lifecycle device id: random, [A-Za-z0-9._:-]{8,128}. The server keeps only a keyed hash.
  const deviceId = randomUUID().toUpperCase();

  // 2. GraphQL fetch with the device id.
  const gql = await post(
    `${o.baseUrl}/graphql`,
    { query: QUERY, variables: { id: sessionId } },
    { authorization: `Bearer ${token}`, 'x-workoutkit-device': deviceId },
  );
  if (gql.status !== 200) throw describeError('POST /graphql', gql);
  const session = (gql.body.data as { publicWorkoutSession?: Record<string, unknown> } | undefined)?.publicWorkoutSession;
  const launchToken = (gql.body.extensions as { workoutkit?: { token?: string } } | undefined)?.workoutkit?.token;
  if (!session || !launchToken) throw new Error('POST /graphql returned no session or no extensions.workoutkit.token');

  // 3. What the SDK does: digest the payload as received (minus __typename and workoutKitToken), then launch.
  const digest = payloadDigest(graphqlPayload(session));
  const launched = await post(`${o.baseUrl}/v1/sdk/launch`, { token: launchToken, deviceId, sessionId, payloadDigest: digest });
  if (launched.status !== 200) throw describeError('POST /v1/sdk/launch', launched);

  // 4. Someone edits the payload before handing it to the SDK: the digest no longer matches.
  const modified = { ...session, title: `${String(session.title)} (unlocked)` };
  const refused = await post(`${o.baseUrl}/v1/sdk/launch`, {
    token: launchToken,
    deviceId,
    sessionId,
    payloadDigest: payloadDigest(graphqlPayload(modified)),
  });
  if (refused.status === 200) throw new Error('a modified payload was accepted by POST /v1/sdk/launch');

  return {
    sessionId,
    type: String(session.__typename),
    title: String(session.title),
    payloadDigest: digest,
    launch: launched.body as MobileLaunchResult['launch'],
    modifiedPayload: {
      status: refused.status,
      error: String(refused.body.error),
      error_description: String(refused.body.error_description),
    },
  };
}

if (require.main === module) {
  const env = process.env;
  const pick = (name: string): string | undefined => env[`WK_${name}`] ?? env[name];
  const token = pick('TOKEN');
  const clientName = pick('CLIENT_NAME');
  const clientSecret = pick('CLIENT_SECRET');
  if (!token && !(clientName && clientSecret)) {
    console.error('Set TOKEN (a token with sub: npx workoutkit token <client> --sub user-42), or CLIENT_NAME and CLIENT_SECRET.');
    process.exit(2);
  }
  const sub = pick('SUB');
  const sessionId = pick('SESSION_ID');
  runMobileLaunch({
    baseUrl: pick('BASE_URL') ?? 'http://127.0.0.1:3000/sandbox',
    ...(token ? { token } : {}),
    ...(clientName ? { clientName } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    ...(sub ? { sub } : {}),
    ...(sessionId ? { sessionId } : {}),
  }).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
