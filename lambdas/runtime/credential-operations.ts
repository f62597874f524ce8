/**
 * The credential operations two APIs serve: the operator API, for the client its path names, and
 * the client's own /v1/settings, for the caller's client (never one named by the request). One
 * implementation each, so the two answers cannot drift; only where the client comes from differs.
 */
import { parseClientName } from '../core/client-settings';
import { parseRevocation, parseRotateSecret } from '../core/credential-requests';
import { InsufficientPermissionsError, InvalidRequestError, NotFoundError } from '../core/errors';
import { describeKeys, validateKeyRegistration, type ValidatedKeys } from '../core/key-registration';
import { revokeClientTokensBefore, rotateClientSecret, setClientKeys } from '../store/client-credentials';
import type { Deps } from './deps';
import { callerOf, type ApiRequest, type Operation } from './http';
import { logger } from './logger';
import { readUsage } from './quota-meter';

/** How a route names the client it acts on. */
export type ClientOf = (req: ApiRequest) => string;
/** Operator routes: `{clientName}` in the path. */
export const clientFromPath: ClientOf = (req) => parseClientName(req.params.clientName);
/** Self-service routes: the authenticated caller's own client. */
export const clientFromToken: ClientOf = (req) => callerOf(req).clientName;

type CredentialDeps = Pick<Deps, 'clients' | 'clientDirectory' | 'jwksCache' | 'fetchJwks' | 'clock'>;

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Bodies that are optional as a whole: an empty body means "all defaults". */
export function optionalJson(req: ApiRequest): unknown {
  const raw = req.event.body;
  return raw === null || raw === undefined || raw.length === 0 ? undefined : req.json();
}

/**
 * validateKeyRegistration, with the reason of a refusal logged: the caller's answer may be
 * deliberately vague (a failed JWKS URL fetch), the operator's log is not.
 */
async function validateKeys(deps: Pick<Deps, 'fetchJwks' | 'clock'>, body: unknown, clientName: string): Promise<ValidatedKeys> {
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

/** Replaces the client's verification keys (JWKS, JWKS URL or PEM). */
export function putKeys(deps: CredentialDeps, clientOf: ClientOf): Operation {
  return async (req) => {
    const clientName = clientOf(req);
    const validated = await validateKeys(deps, req.json(), clientName);
    const before = await deps.clients.get(clientName, true);
    const record = await setClientKeys(deps.clients, clientName, validated.registration, deps.clock());
    if (before?.keys?.jwksUri) deps.jwksCache.forget(before.keys.jwksUri);
    deps.clientDirectory.invalidate(clientName);
    const { registration } = validated;
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

/** Rotates the client's secret; the previous one keeps working for `graceSeconds`. */
export function rotateSecret(deps: CredentialDeps, clientOf: ClientOf): Operation {
  return async (req) => {
    const clientName = clientOf(req);
    const { graceSeconds } = parseRotateSecret(optionalJson(req));
    const rotated = await rotateClientSecret(deps.clients, clientName, graceSeconds, deps.clock());
    deps.clientDirectory.invalidate(clientName);
    return { status: 200, body: { clientSecret: rotated.clientSecret, previousValidUntil: iso(rotated.previousValidUntil) } };
  };
}

/**
 * A revocation by `jti` or by cut-off. The operator may name any client (or none, for a jti);
 * a client revokes only among its own tokens: a clientName in its body must be its own, and its
 * jti revocations are scoped to it (RevocationStore's client scope).
 */
export function revoke(deps: CredentialDeps & Pick<Deps, 'revocations'>, who: 'operator' | 'caller'): Operation {
  return async (req) => {
    const body = req.json();
    const own = who === 'caller' ? clientFromToken(req) : undefined;
    if (own !== undefined) {
      const named = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).clientName : undefined;
      if (named !== undefined && named !== own) throw new InsufficientPermissionsError('A client can only revoke its own tokens');
    }
    const revocation = parseRevocation(body, Math.floor(deps.clock() / 1000), own);
    if (revocation.kind === 'jti') {
      await deps.revocations.revoke(revocation.jti, own === undefined ? 'operator' : `client:${own}`, own);
      return { status: 201, body: { revoked: 'jti', jti: revocation.jti, ...(own === undefined ? {} : { clientName: own }) } };
    }
    const clientName = own ?? revocation.clientName;
    const cutOff = await revokeClientTokensBefore(deps.clients, clientName, revocation.issuedBefore, deps.clock());
    deps.clientDirectory.invalidate(clientName);
    return { status: 201, body: { revoked: 'client', clientName, issuedBefore: iso(cutOff) } };
  };
}

/** The client's and its deployment's quota use in the current period, from the counters. */
export function usage(deps: Pick<Deps, 'clients' | 'clock' | 'quotaConfig' | 'usageCounters'>, clientOf: ClientOf): Operation {
  return async (req) => {
    const clientName = clientOf(req);
    const record = await deps.clients.get(clientName, true);
    // For the caller: the token verified a moment ago; the client was deleted in between.
    if (!record) throw new NotFoundError('No such client');
    return { status: 200, body: await readUsage(deps, record) };
  };
}
