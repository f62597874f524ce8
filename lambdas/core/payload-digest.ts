/**
 * The payload digest a WorkoutKitToken binds (contract, POST /v1/sdk/launch):
 *
 *   payloadDigest(payload) = base64url_nopad( SHA-256( UTF-8( JCS(payload) ) ) )
 *
 * JCS is the JSON Canonicalization Scheme, RFC 8785 (https://www.rfc-editor.org/rfc/rfc8785):
 * keys sorted by UTF-16 code units, no whitespace, ECMAScript number formatting. It makes
 * the digest independent of key order and formatting, so an SDK in any language that
 * re-serializes the JSON it received computes the same value. This module is exported for
 * SDKs and documented in docs/launch-tokens.md.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { InvalidRequestError } from './errors';

/** 32 bytes in unpadded base64url. */
export const PAYLOAD_DIGEST_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function canonicalJson(payload: unknown): string {
  const text = canonicalize(payload);
  // canonicalize() returns undefined for undefined/functions; a payload is always JSON.
  if (typeof text !== 'string') throw new InvalidRequestError('Payload is not JSON');
  return text;
}

export function payloadDigest(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload), 'utf8').digest('base64url');
}
