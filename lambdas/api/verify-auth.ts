/** GET /v1/auth/verify: the authenticated entity behind the bearer token. */
import type { Deps } from '../runtime/deps';
import type { Operation } from '../runtime/http';

export function verifyAuth(deps: Pick<Deps, 'env'>): Operation {
  return async (req) => {
    const c = req.caller;
    if (!c) throw new Error('verifyAuth needs an authenticated caller');
    return {
      status: 200,
      body: {
        clientName: c.clientName,
        ...(c.sub !== undefined ? { sub: c.sub } : {}),
        scope: c.scope,
        tokenKind: c.tokenKind,
        alg: c.alg,
        kid: c.kid ?? null,
        expiresAt: c.expiresAt === undefined ? null : new Date(c.expiresAt * 1000).toISOString(),
        stage: deps.env.STAGE,
      },
    };
  };
}
