/**
 * The media type a JSON route accepts. A body is read as JSON only when the request says it
 * is JSON: `application/json`, optionally with `charset=utf-8` (RFC 8259 §8.1: JSON text
 * exchanged between systems is UTF-8). Anything else (`text/plain`, a form, a missing header)
 * is 400 invalid_request, the contract's status for a malformed header: a form or a text body
 * that happens to be JSON-looking is never taken for JSON, and a browser's "simple" cross-site
 * request (which cannot send application/json without a preflight) never reaches a JSON route.
 * https://www.rfc-editor.org/rfc/rfc8259#section-8.1
 * https://www.rfc-editor.org/rfc/rfc9110#section-8.3.1
 */
import { InvalidRequestError } from './errors';

export const JSON_MEDIA_TYPE = 'application/json';

/** True for `application/json` with no parameters other than a UTF-8 charset (case-insensitive). */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [type, ...params] = value.split(';');
  if ((type ?? '').trim().toLowerCase() !== JSON_MEDIA_TYPE) return false;
  return params.every((p) => {
    const eq = p.indexOf('=');
    if (eq < 0) return p.trim() === '';
    const name = p.slice(0, eq).trim().toLowerCase();
    const v = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
    return name === 'charset' && (v === 'utf-8' || v === 'utf8');
  });
}

export function checkJsonContentType(value: string | undefined): void {
  if (!isJsonContentType(value)) {
    throw new InvalidRequestError(
      value === undefined
        ? 'Content-Type is missing: send the JSON body as application/json'
        : 'Content-Type must be application/json (charset utf-8 if given)',
    );
  }
}
