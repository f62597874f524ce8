/**
 * POST /admin/signing-keys/rotate: the deployment's own signing key. The client credential routes
 * (keys, secret, revocations, usage) are runtime/credential-operations.ts, shared with /v1/settings.
 */
import type { Deps } from '../runtime/deps';
import { parseRotateSigningKey } from '../core/signing-key-rotation';
import { optionalJson } from '../runtime/credential-operations';
import type { Operation } from '../runtime/http';
import { rotateSigningKey } from '../store/signing-key-rotation';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export function rotateSigningKeys(deps: Pick<Deps, 'signingKeys' | 'clock'>): Operation {
  return async (req) => {
    const { leadSeconds } = parseRotateSigningKey(optionalJson(req));
    const plan = await rotateSigningKey(deps.signingKeys, deps.clock(), leadSeconds);
    return {
      status: 201,
      body: {
        kid: plan.kid,
        activatesAt: iso(plan.activatesAt),
        retiring: plan.retiring.map((r) => ({ kid: r.kid, retiresAt: iso(r.retiresAt) })),
      },
    };
  };
}
