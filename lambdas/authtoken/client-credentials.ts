/**
 * What POST /authtoken and POST /oauth2/token share: a clientName + secret checked under the
 * lock-out rule (core/authenticate-client.ts) against the client's live secrets, read
 * consistently so a rotation or a new client counts at once.
 */
import { authenticateClient, type LockoutDeps } from '../core/authenticate-client';
import { configuredScopes } from '../core/client-settings';
import type { Deps } from '../runtime/deps';

export interface SecretCredentials {
  readonly clientName: string;
  readonly clientSecret: string;
}

/** The lock-out counters of the deployment (AUTHFAIL# items). */
export function lockoutOf(deps: Pick<Deps, 'tokenLockout'>): LockoutDeps {
  return {
    lockedFor: (n) => deps.tokenLockout.status(n),
    recordFailure: (n) => deps.tokenLockout.recordFailure(n),
  };
}

/** Resolves with the client's configured scopes (core/client-settings.ts configuredScopes). */
export async function authenticateWithSecret(
  deps: Pick<Deps, 'tokenLockout' | 'clients' | 'clock'>,
  credentials: SecretCredentials,
  sourceIp: string | undefined,
  challenge?: string,
): Promise<{ scopes: readonly string[] | undefined }> {
  let scopes: string[] | undefined;
  await authenticateClient(
    credentials,
    {
      ...lockoutOf(deps),
      liveSecrets: async (n) => {
        const record = await deps.clients.get(n, true);
        // A disabled client answers as an unknown one: invalid_client (PATCH /admin/clients/{clientName}).
        if (!record || record.disabled) return undefined;
        scopes = configuredScopes(record.scopes);
        return deps.clients.openSecrets(record, Math.floor(deps.clock() / 1000));
      },
    },
    sourceIp,
    challenge,
  );
  return { scopes };
}
