/**
 * Files the authorizer's refusals under the client a token names (GET /v1/settings/auth-failures),
 * without ever slowing or failing authorization:
 * - the write gets DENIAL_LOG_BUDGET_MS; past that the Deny goes out and the write finishes
 *   (or not) on its own. Any error is logged and dropped: the Deny stands either way;
 * - only clients that exist get entries, and each at most DENIAL_LOG_PER_CLIENT_PER_MINUTE per
 *   warm container, so a flood of forged tokens cannot turn into a flood of writes.
 * The authorizer's result cache holds Denies too, so one bad token is logged once per TTL.
 */
import { tokenSubject } from '../core/token-subject';
import type { ClientDirectory, TokenKind } from '../core/verify-token';
import { logger } from '../runtime/logger';

export const DENIAL_LOG_BUDGET_MS = 50;
export const DENIAL_LOG_PER_CLIENT_PER_MINUTE = 60;

export interface DenialLogDeps {
  issuer: string;
  clientDirectory: Pick<ClientDirectory, 'get'>;
  authLog: { record(clientName: string, reason: string, tokenKind: TokenKind): Promise<void> };
  clock?: () => number;
  budgetMs?: number;
  perClientPerMinute?: number;
}

export type DenialRecorder = (token: string, reason: string) => Promise<void>;

export function createDenialLog(deps: DenialLogDeps): DenialRecorder {
  const clock = deps.clock ?? Date.now;
  const budget = deps.budgetMs ?? DENIAL_LOG_BUDGET_MS;
  const perMinute = deps.perClientPerMinute ?? DENIAL_LOG_PER_CLIENT_PER_MINUTE;
  const windows = new Map<string, { start: number; count: number }>();

  const admit = (clientName: string): boolean => {
    const now = clock();
    const w = windows.get(clientName);
    if (!w || now - w.start >= 60_000) {
      if (windows.size >= 10_000) windows.clear();
      windows.set(clientName, { start: now, count: 1 });
      return true;
    }
    w.count++;
    return w.count <= perMinute;
  };

  return async (token, reason) => {
    const subject = tokenSubject(token, deps.issuer);
    if (!subject || !admit(subject.clientName)) return;
    const write = (async () => {
      if (!(await deps.clientDirectory.get(subject.clientName))) return;
      await deps.authLog.record(subject.clientName, reason, subject.tokenKind);
    })().catch((err: unknown) => {
      logger.warn('auth failure log write failed', { error: err instanceof Error ? err.name : typeof err });
    });
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, budget);
    });
    await Promise.race([write, bound]);
    clearTimeout(timer);
  };
}
