/**
 * In-memory implementations of the verifier's own interfaces (ClientDirectory,
 * DeploymentKeySet): the core is tested without any store. Data-layer code is tested
 * against DynamoDB Local elsewhere.
 */
import { configuredScopes } from '../../lambdas/core/client-settings';
import type { ClientAuthView, ClientDirectory, DeploymentKeySet } from '../../lambdas/core/verify-token';
import { importJwks, importPem, type VerificationKey } from '../../lambdas/core/verification-key';

export interface FakeClient extends Omit<ClientAuthView, 'hmacSecrets' | 'scopes'> {
  /** As stored; absent reads as the default (configuredScopes). */
  scopes?: readonly string[];
  secrets?: string[];
  jwks?: unknown;
  pem?: string;
}

export class MemoryDirectory implements ClientDirectory {
  readonly clients = new Map<string, FakeClient>();

  add(client: FakeClient): this {
    this.clients.set(client.clientName, client);
    return this;
  }

  async get(clientName: string): Promise<ClientAuthView | undefined> {
    const c = this.clients.get(clientName);
    if (!c) return undefined;
    return { ...c, scopes: configuredScopes(c.scopes), hmacSecrets: (c.secrets ?? []).map((s) => Buffer.from(s, 'utf8')) };
  }

  async keysFor(client: ClientAuthView, kid: string | undefined): Promise<readonly VerificationKey[]> {
    const c = this.clients.get(client.clientName);
    const keys = c?.pem ? [importPem(c.pem)] : c?.jwks ? importJwks(c.jwks, 'jwks') : [];
    return kid === undefined ? keys : keys.filter((k) => k.kid === kid);
  }
}

export class MemoryKeySet implements DeploymentKeySet {
  constructor(private readonly keys: VerificationKey[]) {}
  async get(kid: string): Promise<VerificationKey | undefined> {
    return this.keys.find((k) => k.kid === kid);
  }
}
