/** Operator-API helpers for gateway tests: create a client, register its keys. */
import type { StageName } from '../../lambdas/gateway/settings';
import type { TestGateway } from './local-gateway';

export async function createClient(
  gw: TestGateway,
  stage: StageName,
  clientName: string,
  settings: Record<string, unknown> = {},
): Promise<string> {
  const res = await gw.admin(stage, 'POST', '/admin/clients', { clientName, ...settings });
  if (res.status !== 201) throw new Error(`create ${clientName}: ${res.status} ${res.text}`);
  return res.body.clientSecret as string;
}

export async function putKeys(gw: TestGateway, stage: StageName, clientName: string, body: unknown): Promise<void> {
  const res = await gw.admin(stage, 'PUT', `/admin/clients/${clientName}/keys`, body);
  if (res.status !== 200) throw new Error(`keys of ${clientName}: ${res.status} ${res.text}`);
}

/** The claims of a compact JWS, unverified (to read an issued token's jti). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
