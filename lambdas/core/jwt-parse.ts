/**
 * Strict parsing of a compact JWS. Nothing here trusts the token: it only
 * splits, decodes and type-checks, so that the verifier can pick a key and
 * reject malformed input before any cryptography runs.
 */
import { isAscii } from 'node:buffer';
import { InvalidTokenError } from './errors';
import { MAX_TOKEN_BYTES } from './limits';

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

/** The 6-bit value of a base64url char (the alphabet was checked before). */
function sextet(c: number): number {
  if (c >= 0x61) return c - 0x61 + 26; // a-z
  if (c >= 0x41) return c === 0x5f ? 63 : c - 0x41; // A-Z, _
  return c === 0x2d ? 62 : c - 0x30 + 52; // -, 0-9
}

/**
 * Decodes base64url, refusing padding, foreign characters and non-canonical trailing bits.
 * Canonical form is checked on the last char rather than by re-encoding: this runs three
 * times per token on the authorizer's hot path.
 */
export function decodeBase64url(part: string, what: string): Buffer {
  const len = part.length;
  if (!BASE64URL.test(part) || len % 4 === 1) {
    throw new InvalidTokenError(`Malformed token: ${what} is not base64url`);
  }
  // Non-canonical encodings (extra bits set in the last char) would let two strings share
  // one signature: with 2 (or 3) chars in the last group, its low 4 (or 2) bits must be zero.
  const unusedBits = len % 4 === 2 ? 0x0f : len % 4 === 3 ? 0x03 : 0;
  if (unusedBits !== 0 && (sextet(part.charCodeAt(len - 1)) & unusedBits) !== 0) {
    throw new InvalidTokenError(`Malformed token: ${what} is not canonical base64url`);
  }
  return Buffer.from(part, 'base64url');
}

/** Decoding is stateless without `stream: true`, so one fatal decoder serves every call. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function parseJsonObject(bytes: Buffer, what: string): { value: Record<string, unknown>; text: string } {
  let value: unknown;
  let text: string;
  try {
    // ASCII (nearly every token) is valid UTF-8 and has no BOM: a plain copy decodes it alike.
    text = isAscii(bytes) ? bytes.toString('latin1') : UTF8.decode(bytes);
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidTokenError(`Malformed token: ${what} is not JSON`, { cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidTokenError(`Malformed token: ${what} is not a JSON object`);
  }
  return { value: value as Record<string, unknown>, text };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** JSON whitespace (RFC 8259 §2): the only characters valid JSON allows between a key and ':'. */
function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * JSON.parse keeps the last of duplicate keys while other parsers keep the first; a token
 * whose header or claims differ by parser is refused rather than guessed at. `text` is
 * valid JSON (JSON.parse accepted it), so counting the strings directly followed by ':' at
 * depth 1 counts the top-level members.
 */
function hasDuplicateTopLevelKey(text: string, parsed: Record<string, unknown>): boolean {
  const len = text.length;
  let count = 0;
  let depth = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      while (j < len) {
        const d = text.charCodeAt(j);
        if (d === QUOTE) break;
        j += d === BACKSLASH ? 2 : 1;
      }
      if (depth === 1) {
        let k = j + 1;
        while (k < len && isJsonSpace(text.charCodeAt(k))) k++;
        if (text.charCodeAt(k) === COLON) count++;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return count !== Object.keys(parsed).length;
}

/**
 * Headers already parsed and checked, by their base64url text: a client's tokens all share
 * one header, so a warm authorizer decodes it once. Only headers that passed every check
 * below are kept (frozen), so a hit answers exactly as a fresh parse would; the size bound
 * keeps a flood of distinct headers from growing memory.
 */
const checkedHeaders = new Map<string, JwtHeader>();
const CHECKED_HEADERS_MAX = 256;

export function parseJwt(token: string): ParsedJwt {
  if (token.length === 0) throw new InvalidTokenError('Missing bearer token');
  if (token.length > MAX_TOKEN_BYTES) throw new InvalidTokenError('Token over 8 KiB');
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
    throw new InvalidTokenError('Malformed token: not a compact JWS');
  }
  const headerPart = token.slice(0, first);
  const known = checkedHeaders.get(headerPart);
  if (known) return parseRest(token, known, first, second);
  const headerBytes = decodeBase64url(headerPart, 'header');
  const payloadBytes = decodeBase64url(token.slice(first + 1, second), 'payload');
  const signature = decodeBase64url(token.slice(second + 1), 'signature');
  const { value: header, text: headerText } = parseJsonObject(headerBytes, 'header');
  const { value: payload, text: payloadText } = parseJsonObject(payloadBytes, 'payload');
  if (hasDuplicateTopLevelKey(headerText, header) || hasDuplicateTopLevelKey(payloadText, payload)) {
    throw new InvalidTokenError('Malformed token: duplicate JSON keys');
  }
  if (typeof header.alg !== 'string' || header.alg.length === 0) {
    throw new InvalidTokenError('Token header has no alg');
  }
  if (header.kid !== undefined && (typeof header.kid !== 'string' || header.kid.length > 256)) {
    throw new InvalidTokenError('Token header kid must be a string of at most 256 characters');
  }
  if (signature.length === 0) throw new InvalidTokenError('Token has no signature');
  if (checkedHeaders.size >= CHECKED_HEADERS_MAX) checkedHeaders.clear();
  checkedHeaders.set(headerPart, Object.freeze(header) as JwtHeader);
  return { header: header as JwtHeader, payload, signingInput: token.slice(0, second), signature };
}

/** The same checks as above, in the same order, for a token whose header is known good. */
function parseRest(token: string, header: JwtHeader, first: number, second: number): ParsedJwt {
  const payloadBytes = decodeBase64url(token.slice(first + 1, second), 'payload');
  const signature = decodeBase64url(token.slice(second + 1), 'signature');
  const { value: payload, text: payloadText } = parseJsonObject(payloadBytes, 'payload');
  if (hasDuplicateTopLevelKey(payloadText, payload)) throw new InvalidTokenError('Malformed token: duplicate JSON keys');
  if (signature.length === 0) throw new InvalidTokenError('Token has no signature');
  return { header, payload, signingInput: token.slice(0, second), signature };
}
