/**
 * Can timing tell whether a clientName exists? Forged HS256 tokens (a guessed secret) naming the
 * benchmark's existing HS256 client and a name no client has, sent one at a time to the local
 * gateway (its own process, authorizer cache off so every request runs the authorizer), the two
 * kinds alternating so both meet the same machine state. Medians of each and their ratio are
 * printed; the ratio should be close to 1. Measured, never asserted (tests check the answers and
 * the store calls instead: test/gateway/client-existence.test.ts).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { startServer, stopServer } from './e2e';

export interface ClientOracleResult {
  samples: number;
  existingMedianMs: number;
  unknownMedianMs: number;
  /** existing / unknown. */
  ratio: number;
  statuses: Record<string, number>;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function forged(clientName: string): string {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ clientName, sub: 'user-42', jti: randomUUID(), iat: now, exp: now + 300 })}`;
  return `${input}.${createHmac('sha256', 'a guessed secret').update(input).digest('base64url')}`;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

export async function runClientOracle(options: { samples: number }, progress: (line: string) => void): Promise<ClientOracleResult> {
  const { info, child } = await startServer(0);
  try {
    const url = `${info.baseUrl}/v1/auth/verify`;
    const statuses: Record<string, number> = {};
    const once = async (name: string): Promise<number> => {
      const started = performance.now();
      const res = await fetch(url, { headers: { authorization: `Bearer ${forged(name)}` } });
      await res.arrayBuffer();
      const ms = performance.now() - started;
      statuses[String(res.status)] = (statuses[String(res.status)] ?? 0) + 1;
      return ms;
    };
    const existing: number[] = [];
    const unknown: number[] = [];
    progress(`client oracle: ${options.samples} forged HS256 refusals each, existing vs unknown name`);
    for (let i = 0; i < 20; i++) await once(i % 2 ? 'bench-hs' : 'bench-nobody'); // warm-up
    for (let i = 0; i < options.samples; i++) {
      // Alternate which goes first, so neither always follows the other.
      if (i % 2) {
        existing.push(await once('bench-hs'));
        unknown.push(await once('bench-nobody'));
      } else {
        unknown.push(await once('bench-nobody'));
        existing.push(await once('bench-hs'));
      }
    }
    const existingMedianMs = Math.round(median(existing) * 1000) / 1000;
    const unknownMedianMs = Math.round(median(unknown) * 1000) / 1000;
    return {
      samples: options.samples,
      existingMedianMs,
      unknownMedianMs,
      ratio: Math.round((existingMedianMs / unknownMedianMs) * 1000) / 1000,
      statuses,
    };
  } finally {
    await stopServer(child);
  }
}
