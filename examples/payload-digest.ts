/**
 * Prints the payloadDigest of a session payload read from stdin, with the project's own
 * exported function (what an SDK must reproduce; docs/launch-tokens.md).
 *
 *   curl ... /v1/acme-app/sessions/hiit-20-core | npx tsx examples/payload-digest.ts
 *   curl ... /graphql | npx tsx examples/payload-digest.ts --graphql   # data.publicWorkoutSession
 */
import { graphqlPayload } from '../lambdas/core/graphql/projection';
import { payloadDigest } from '../lambdas/core/payload-digest';

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { publicWorkoutSession?: unknown } };
  const payload = process.argv.includes('--graphql') ? graphqlPayload(input.data?.publicWorkoutSession) : input;
  process.stdout.write(`${payloadDigest(payload)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
