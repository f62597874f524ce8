/**
 * X-Request-Id: the caller's own correlation id, echoed on the answer when it is safe to echo
 * (1–128 of `[A-Za-z0-9._:-]`: UUIDs, ULIDs and W3C trace ids fit), otherwise replaced by
 * the gateway's request id. Bounded and plain so it can go into logs and headers as is.
 */
export const REQUEST_ID_HEADER = 'X-Request-Id';
export const MAX_REQUEST_ID_LENGTH = 128;
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's id when acceptable, else undefined (a repeated header arrives comma-joined and is refused). */
export function acceptedRequestId(presented: string | readonly string[] | undefined): string | undefined {
  if (typeof presented !== 'string') return undefined;
  return SAFE_REQUEST_ID.test(presented) ? presented : undefined;
}

/** The id an answer carries: the caller's acceptable one, or the gateway's own. */
export function answerRequestId(presented: string | readonly string[] | undefined, gatewayRequestId: string): string {
  return acceptedRequestId(presented) ?? gatewayRequestId;
}
