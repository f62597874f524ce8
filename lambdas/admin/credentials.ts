/**
 * Operator credential routes: PUT /admin/clients/{clientName}/keys,
 * POST /admin/clients/{clientName}/rotate-secret, POST /admin/revocations,
 * POST /admin/signing-keys/rotate. The rules live in core/ and store/ so the client's own
 * settings routes reuse them; this file only adapts HTTP.
 */
import { parseClientName } from '../core/client-settings';
import { parseRevocation, parseRotateSecret } from '../core/credential-requests';
import { InvalidRequestError } from '../core/errors';
import { describeKeys, validateKeyRegistration, type ValidatedKeys } from '../core/key-registration';
import { logger } from '../runtime/logger';
import type { Deps } from '../runtime/deps';
import type { ApiRequest, Operation } from '../runtime/http';
import { revokeClientTokensBefore, rotateClientSecret, setClientKeys } from '../store/client-credentials';
import { parseRotateSigningKey, rotateSigningKey } from '../store/signing-key-rotation';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Bodies that are optional as a whole: an empty body means "all defaults". */
export function optionalJson(req: ApiRequest): unknown {
  const raw = req.event.body;
  return raw === null || raw === undefined || raw.length === 0 ? undefined : req.json();
}

type CredentialDeps = Pick<Deps, 'clients' | 'clientDirectory' | 'jwksCache' | 'fetchJwks' | 'clock'>;

/**
 * validateKeyRegistration, with the reason of a refusal logged: the caller's answer may be
 * deliberately vague (a failed JWKS URL fetch), the operator's log is not.
 */
export async function validateKeys(deps: Pick<Deps, 'fetchJwks' | 'clock'>, body: unknown, clientName: string): Promise<ValidatedKeys> {
  try {
    return await validateKeyRegistration(body, deps.fetchJwks, deps.clock());
  } catch (err) {
    if (err instanceof InvalidRequestError) {
      const cause = err.cause instanceof Error ? `${err.cause.name}: ${err.cause.message}` : undefined;
      logger.info('key registration refused', { clientName, reason: err.message, ...(cause ? { cause } : {}) });
    }
    throw err;
  }
}

export function putClientKeys(deps: CredentialDeps): Operation {
  return async (req) => {
    const name = parseClientName(req.params.clientName);
    const validated = await validateKeys(deps, req.json(), name);
    const before = await deps.clients.get(name, true);
    const record = await setClientKeys(deps.clients, name, validated.registration, deps.clock());
    if (before?.keys?.jwksUri) deps.jwksCache.forget(before.keys.jwksUri);
    deps.clientDirectory.invalidate(name);
    return {
      status: 200,
      body: { clientName: name, keys: { kind: validated.registration.kind, updatedAt: record.keys?.updatedAt, ...(validated.registration.kind === 'jwks_uri' ? { jwksUri: validated.registration.jwksUri } : {}), keys: describeKeys(validated.keys) } },
    };
  };
}

export function rotateSecret(deps: CredentialDeps): Operation {
  return async (req) => {
    const name = parseClientName(req.params.clientName);
    const { graceSeconds } = parseRotateSecret(optionalJson(req));
    const rotated = await rotateClientSecret(deps.clients, name, graceSeconds, deps.clock());
    deps.clientDirectory.invalidate(name);
    return { status: 200, body: { clientSecret: rotated.clientSecret, previousValidUntil: iso(rotated.previousValidUntil) } };
  };
}

export function createRevocation(deps: CredentialDeps & Pick<Deps, 'revocations'>): Operation {
  return async (req) => {
    const revocation = parseRevocation(req.json(), Math.floor(deps.clock() / 1000));
    if (revocation.kind === 'jti') {
      await deps.revocations.revoke(revocation.jti, 'operator');
      return { status: 201, body: { revoked: 'jti', jti: revocation.jti } };
    }
    const cutOff = await revokeClientTokensBefore(deps.clients, revocation.clientName, revocation.issuedBefore, deps.clock());
    deps.clientDirectory.invalidate(revocation.clientName);
    return { status: 201, body: { revoked: 'client', clientName: revocation.clientName, issuedBefore: iso(cutOff) } };
  };
}

export function rotateSigningKeys(deps: Pick<Deps, 'signingKeys' | 'clock'>): Operation {
  return async (req) => {
    const { leadSeconds } = parseRotateSigningKey(optionalJson(req));
    const plan = await rotateSigningKey(deps.signingKeys, deps.clock(), leadSeconds);
    return {
      status: 201,
      body: { kid: plan.kid, activatesAt: iso(plan.activatesAt), retiring: plan.retiring.map((r) => ({ kid: r.kid, retiresAt: iso(r.retiresAt) })) },
    };
  };
}
