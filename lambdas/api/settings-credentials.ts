/**
 * The credential half of /v1/settings: register keys, rotate the secret, revoke tokens, and
 * read usage, for the caller's own client only. Same validation and store code as the
 * operator routes (admin/credentials.ts); the client name always comes from the token.
 */
import { parseRevocation, parseRotateSecret } from '../core/credential-requests';
import { InsufficientPermissionsError, NotFoundError } from '../core/errors';
import { readUsage } from '../runtime/quota-meter';
import { describeKeys } from '../core/key-registration';
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';
import { optionalJson, validateKeys } from '../admin/credentials';
import { revokeClientTokensBefore, rotateClientSecret, setClientKeys } from '../store/client-credentials';
import { callerOf } from './settings';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

type CredentialDeps = Pick<Deps, 'clients' | 'clientDirectory' | 'jwksCache' | 'fetchJwks' | 'clock'>;

export function putOwnKeys(deps: CredentialDeps): Operation {
  return async (req) => {
    const { clientName } = callerOf(req);
    const validated = await validateKeys(deps, req.json(), clientName);
    const before = await deps.clients.get(clientName, true);
    const record = await setClientKeys(deps.clients, clientName, validated.registration, deps.clock());
    if (before?.keys?.jwksUri) deps.jwksCache.forget(before.keys.jwksUri);
    deps.clientDirectory.invalidate(clientName);
    const registration = validated.registration;
    return {
      status: 200,
      body: {
        clientName,
        keys: {
          kind: registration.kind,
          updatedAt: record.keys?.updatedAt,
          ...(registration.kind === 'jwks_uri' ? { jwksUri: registration.jwksUri } : {}),
          keys: describeKeys(validated.keys),
        },
      },
    };
  };
}

export function rotateOwnSecret(deps: CredentialDeps): Operation {
  return async (req) => {
    const { clientName } = callerOf(req);
    const { graceSeconds } = parseRotateSecret(optionalJson(req));
    const rotated = await rotateClientSecret(deps.clients, clientName, graceSeconds, deps.clock());
    deps.clientDirectory.invalidate(clientName);
    return { status: 200, body: { clientSecret: rotated.clientSecret, previousValidUntil: iso(rotated.previousValidUntil) } };
  };
}

/**
 * `{jti}` revokes that jti among the caller's own tokens only (RevocationStore's client
 * scope); `{issuedBefore}` sets the caller's own cut-off. A clientName in the body must be
 * the caller's.
 */
export function revokeOwnTokens(deps: CredentialDeps & Pick<Deps, 'revocations'>): Operation {
  return async (req) => {
    const { clientName } = callerOf(req);
    const body = req.json();
    const named = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).clientName : undefined;
    if (named !== undefined && named !== clientName) throw new InsufficientPermissionsError('A client can only revoke its own tokens');
    const revocation = parseRevocation(body, Math.floor(deps.clock() / 1000), clientName);
    if (revocation.kind === 'jti') {
      await deps.revocations.revoke(revocation.jti, `client:${clientName}`, clientName);
      return { status: 201, body: { revoked: 'jti', jti: revocation.jti, clientName } };
    }
    const cutOff = await revokeClientTokensBefore(deps.clients, clientName, revocation.issuedBefore, deps.clock());
    deps.clientDirectory.invalidate(clientName);
    return { status: 201, body: { revoked: 'client', clientName, issuedBefore: iso(cutOff) } };
  };
}

/** GET /v1/settings/usage: the operator usage route's answer, for the caller's own client. */
export function getOwnUsage(deps: Pick<Deps, 'clients' | 'clock' | 'quotaConfig' | 'usageCounters'>): Operation {
  return async (req) => {
    const { clientName } = callerOf(req);
    const record = await deps.clients.get(clientName, true);
    if (!record) throw new NotFoundError('No such client');
    return { status: 200, body: await readUsage(deps, record) };
  };
}
