/**
 * Strict parsing of a compact JWS. Nothing here trusts the token: it only
 * splits, decodes and type-checks, so that the verifier can pick a key and
 * reject malformed input before any cryptography runs.
 */
import { InvalidTokenError } from './errors';
import { MAX_TOKEN_BYTES } from '../gateway/settings';

export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
  [name: string]: unknown;
}

export interface JwtPayload {
  [name: string]: unknown;
}

export interface ParsedJwt {
  header: JwtHeader;
  payload: JwtPayload;
  /** `base64url(header) + "." + base64url(payload)`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes base64url, refusing padding, foreign characters and non-canonical trailing bits. */
export function decodeBase64url(part: string, what: string): Buffer {
  if (!BASE64URL.test(part) || part.length % 4 === 1) {
    throw new InvalidTokenError(`Malformed token: ${what} is not base64url`);
  }
  const bytes = Buffer.from(part, 'base64url');
  // Non-canonical encodings (extra bits set in the last char) would let two strings share
  // one signature; re-encoding must give back the same text.
  if (bytes.toString('base64url') !== part) {
    throw new InvalidTokenError(`Malformed token: ${what} is not canonical base64url`);
  }
  return bytes;
}

function parseJsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new InvalidTokenError(`Malformed token: ${what} is not JSON`, { cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidTokenError(`Malformed token: ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * JSON.parse keeps the last of duplicate keys while other parsers keep the first; a token
 * whose header or claims differ by parser is refused rather than guessed at.
 */
function hasDuplicateTopLevelKey(bytes: Buffer, parsed: Record<string, unknown>): boolean {
  const text = bytes.toString('utf8');
  let count = 0;
  const re = /"((?:[^"\\]|\\.)*)"\s*:/g;
  let depth = 0;
  let i = 0;
  // Count keys that sit at depth 1 only.
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      re.lastIndex = i;
      const m = re.exec(text);
      if (m && m.index === i) {
        if (depth === 1) count++;
        i = re.lastIndex - 1;
        continue;
      }
      // A string value: skip it.
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      i = j;
    } else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return count !== Object.keys(parsed).length;
}

export function parseJwt(token: string): ParsedJwt {
  if (token.length === 0) throw new InvalidTokenError('Missing bearer token');
  if (token.length > MAX_TOKEN_BYTES) throw new InvalidTokenError('Token over 8 KiB');
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
    throw new InvalidTokenError('Malformed token: not a compact JWS');
  }
  const headerPart = token.slice(0, first);
  const payloadPart = token.slice(first + 1, second);
  const signaturePart = token.slice(second + 1);
  const headerBytes = decodeBase64url(headerPart, 'header');
  const payloadBytes = decodeBase64url(payloadPart, 'payload');
  const signature = decodeBase64url(signaturePart, 'signature');
  const header = parseJsonObject(headerBytes, 'header');
  const payload = parseJsonObject(payloadBytes, 'payload');
  if (hasDuplicateTopLevelKey(headerBytes, header) || hasDuplicateTopLevelKey(payloadBytes, payload)) {
    throw new InvalidTokenError('Malformed token: duplicate JSON keys');
  }
  if (typeof header.alg !== 'string' || header.alg.length === 0) {
    throw new InvalidTokenError('Token header has no alg');
  }
  if (header.kid !== undefined && (typeof header.kid !== 'string' || header.kid.length > 256)) {
    throw new InvalidTokenError('Token header kid must be a string of at most 256 characters');
  }
  if (signature.length === 0) throw new InvalidTokenError('Token has no signature');
  return {
    header: header as JwtHeader,
    payload,
    signingInput: token.slice(0, second),
    signature,
  };
}
