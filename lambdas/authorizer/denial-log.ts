/**
 * Files the authorizer's refusals under the client a token names (GET /v1/settings/auth-failures).
 *
 * - Whether the name exists is not asked: the entry is written for any well-formed clientName,
 *   so a refusal costs the same store calls and the same time whether or not the client exists
 *   (no error, store call or delay may tell; contract "Errors"). Entries of names no client has
 *   expire with the log's retention, and a client reads only entries from its own `createdAt` on.
 * - The write is awaited before the Deny goes out, because Lambda freezes the environment when
 *   the handler returns and work still running then may never finish
 *   (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). It is bounded:
 *   past DENIAL_LOG_TIMEOUT_MS the request is aborted and the Deny goes out without the entry.
 *   Any error is logged and dropped: the Deny stands either way.
 * - Bounded in volume per warm container: at most DENIAL_LOG_PER_CLIENT_PER_MINUTE entries per
 *   name and DENIAL_LOG_PER_SECOND in all, so a flood of forged tokens (one name or many) cannot
 *   become a flood of writes. The bounds treat every name alike.
 * The authorizer's result cache holds Denies too, so one bad token is logged once per TTL.
 */
import { tokenSubject } from '../core/token-subject';
import type { TokenKind } from '../core/verify-token';
import { logger } from '../runtime/logger';

export const DENIAL_LOG_TIMEOUT_MS = 1_000;
export const DENIAL_LOG_PER_CLIENT_PER_MINUTE = 60;
export const DENIAL_LOG_PER_SECOND = 50;

export interface DenialLogDeps {
  issuer: string;
  authLog: { record(clientName: string, reason: string, tokenKind: TokenKind, signal?: AbortSignal): Promise<void> };
  clock?: () => number;
  timeoutMs?: number;
  perClientPerMinute?: number;
  perSecond?: number;
}

export type DenialRecorder = (token: string, reason: string) => Promise<void>;

export function createDenialLog(deps: DenialLogDeps): DenialRecorder {
  const clock = deps.clock ?? Date.now;
  const timeoutMs = deps.timeoutMs ?? DENIAL_LOG_TIMEOUT_MS;
  const perMinute = deps.perClientPerMinute ?? DENIAL_LOG_PER_CLIENT_PER_MINUTE;
  const perSecond = deps.perSecond ?? DENIAL_LOG_PER_SECOND;
  const windows = new Map<string, { start: number; count: number }>();
  let second = { start: 0, count: 0 };

  const admit = (clientName: string): boolean => {
    const now = clock();
    if (now - second.start >= 1_000) second = { start: now, count: 0 };
    if (++second.count > perSecond) return false;
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
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // The abort cancels the request itself, so nothing is left running when the Deny goes out.
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error('timed out'));
      }, timeoutMs);
    });
    try {
      await Promise.race([deps.authLog.record(subject.clientName, reason, subject.tokenKind, abort.signal), deadline]);
    } catch (err) {
      logger.warn(abort.signal.aborted ? 'auth failure log write timed out' : 'auth failure log write failed', {
        error: err instanceof Error ? err.name : typeof err,
      });
    } finally {
      clearTimeout(timer);
    }
  };
}
