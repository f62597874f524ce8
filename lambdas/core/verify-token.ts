/**
 * The caller-authentication core: one bearer token in, an authenticated entity
 * or a typed contract error out. Three kinds (contract, "Caller authentication"):
 * issued tokens (our ES256 key, `iss` = the deployment issuer), client HS256 tokens
 * (the client's secret) and client RS/ES tokens (the client's registered keys).
 * No AWS types here: keys, clients and revocations come in through interfaces.
 */
import { isAsymmetricAlg, type Alg } from './algorithms';
import { checkAudience, checkClaimTypes, checkPolicy, checkTimes, effectiveScope, normalizeScope, type ClaimPolicy } from './claims';
import { CLIENT_NAME_PATTERN } from './client-name';
import { InvalidSignatureError, InvalidTokenError } from './errors';
import { parseJwt, type JwtPayload, type ParsedJwt } from './jwt-parse';
import { assertNotRevoked } from './revocation';
import { keyUsableAt, type VerificationKey } from './verification-key';
import { verifyAsymmetric, verifyHs256 } from './verify-signature';

export type TokenKind = 'issued' | 'client-hs256' | 'client-asymmetric';

export interface AuthenticatedEntity {
  clientName: string;
  sub?: string;
  scope: string[];
  tokenKind: TokenKind;
  alg: Alg;
  kid?: string;
  /** Epoch seconds; absent when the token has no `exp`. */
  expiresAt?: number;
  issuedAt?: number;
  jti?: string;
}

/** What the verifier needs to know of a client; secrets already decrypted. */
export interface ClientAuthView {
  clientName: string;
  /** Configured scopes (core/client-settings.ts configuredScopes: never undefined, never "anything"). */
  scopes: readonly string[];
  policy: ClaimPolicy;
  /** Epoch seconds: tokens issued before (or without `iat`) are revoked. */
  revokedBefore?: number;
  /** HMAC keys valid now: the current secret and, during a rotation's grace, the previous one. */
  hmacSecrets: readonly Buffer[];
}

export interface ClientDirectory {
  get(clientName: string): Promise<ClientAuthView | undefined>;
  /** The client's registered public keys that match `kid` (all of them when kid is absent). */
  keysFor(client: ClientAuthView, kid: string | undefined): Promise<readonly VerificationKey[]>;
}

export interface DeploymentKeySet {
  get(kid: string): Promise<VerificationKey | undefined>;
}

export interface RevocationList {
  /** Revoked for every client, or among `clientName`'s own tokens (self-service revocations). */
  isRevoked(jti: string, clientName: string): Promise<boolean>;
}

export interface VerifierDeps {
  /**
   * The deployment's issuer identifier (runtime/env.ts deploymentIssuer): the `iss` of the
   * tokens it issues, and the audience a client token's `aud` must name when its client has
   * no audience configured.
   */
  issuer: string;
  deploymentKeys: DeploymentKeySet;
  clientDirectory: ClientDirectory;
  revocations?: RevocationList;
  /** Milliseconds since the epoch. */
  clock?: () => number;
}

/** Header members that would let the token choose its own key, or change how it is read. */
const FORBIDDEN_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'];
/**
 * Every deployment's issuer is a URL (its base URL, runtime/env.ts), so it has a ':'; a
 * clientName cannot. An `iss` with ':' that is not ours is another deployment's token.
 */
const isDeploymentIssuer = (iss: string): boolean => iss.includes(':');

export type TokenVerifier = (token: string) => Promise<AuthenticatedEntity>;

export function createTokenVerifier(deps: VerifierDeps): TokenVerifier {
  const clock = deps.clock ?? Date.now;
  return async (token) => {
    const jwt = parseJwt(token);
    checkHeader(jwt);
    checkClaimTypes(jwt.payload);
    const now = Math.floor(clock() / 1000);
    const alg = jwt.header.alg as Alg;
    if (typeof jwt.payload.iss === 'string' && jwt.payload.iss !== deps.issuer && isDeploymentIssuer(jwt.payload.iss)) {
      throw new InvalidTokenError('Token was issued by another deployment (tenant or stage)');
    }
    const issued = jwt.payload.iss === deps.issuer;
    // The reads a token needs (its key, its client, its jti's revocation) start together, so a
    // container's first issued token waits for one DynamoDB round trip instead of three. Nothing
    // read is used before the signature verifies; a forged token costs the same reads a genuine
    // one would (the caches above the store hold each answer for a few seconds).
    const named = issued ? validClientName(jwt.payload.clientName) : clientNameOrUndefined(jwt.payload);
    const jti = jwt.payload.jti;
    const revoked =
      typeof jti === 'string' && named !== undefined && deps.revocations ? observed(deps.revocations.isRevoked(jti, named)) : undefined;
    // A client token awaits its client first thing; an issued token only after its key.
    const clientRead =
      named === undefined ? undefined : issued ? observed(deps.clientDirectory.get(named)) : deps.clientDirectory.get(named);
    const { entity, client } = issued
      ? await verifyIssued(jwt, alg, deps, now, clientRead)
      : await verifyClientToken(jwt, alg, deps, now, clientRead);
    // The one revocation rule (core/revocation.ts), as handlers and the launch check apply it.
    const jtiRevoked =
      entity.jti !== undefined &&
      deps.revocations !== undefined &&
      (await (entity.clientName === named && revoked ? revoked : deps.revocations.isRevoked(entity.jti, entity.clientName)));
    assertNotRevoked(
      { jtiRevoked, clientExists: true, ...(client.revokedBefore !== undefined ? { revokedBefore: client.revokedBefore } : {}) },
      entity.issuedAt,
    );
    return entity;
  };
}

/** A read started early may fail after the token was already refused: that must not be an unhandled rejection. */
function observed<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

function validClientName(name: unknown): string | undefined {
  return typeof name === 'string' && CLIENT_NAME_PATTERN.test(name) ? name : undefined;
}

function clientNameOrUndefined(payload: JwtPayload): string | undefined {
  try {
    return clientNameOf(payload);
  } catch {
    return undefined; // verifyClientToken throws the same error in its turn
  }
}

function checkHeader(jwt: ParsedJwt): void {
  const h = jwt.header;
  if (h.alg.toLowerCase() === 'none') throw new InvalidTokenError('alg none is not accepted');
  if (h.alg !== 'HS256' && !isAsymmetricAlg(h.alg)) throw new InvalidTokenError('Unsupported alg');
  for (const name of FORBIDDEN_HEADERS) {
    if (name in h) throw new InvalidTokenError(`Header ${name} is not accepted; keys come from the registry only`);
  }
  // RFC 7515 §4.1.11: a recipient must reject `crit` extensions it does not understand (it understands none),
  // and RFC 7797's b64 changes what the signature covers.
  if ('crit' in h) throw new InvalidTokenError('Header crit is not supported');
  if ('b64' in h) throw new InvalidTokenError('Header b64 is not supported');
}

interface Verified {
  entity: AuthenticatedEntity;
  client: ClientAuthView;
}

async function verifyIssued(
  jwt: ParsedJwt,
  alg: Alg,
  deps: VerifierDeps,
  now: number,
  clientRead: Promise<ClientAuthView | undefined> | undefined,
): Promise<Verified> {
  const kid = jwt.header.kid;
  if (kid === undefined) throw new InvalidTokenError('Issued token without kid');
  const key = await deps.deploymentKeys.get(kid);
  if (!key) throw new InvalidTokenError('Unknown kid');
  if (!isAsymmetricAlg(alg) || !key.algs.includes(alg)) throw new InvalidTokenError(`alg ${alg} does not match the key`);
  if (!verifyAsymmetric(alg, key.key, jwt.signingInput, jwt.signature)) throw new InvalidSignatureError('Signature does not verify');
  const p = jwt.payload;
  // Launch tokens share our key: the use claim keeps them out of caller authentication.
  if (p.token_use !== 'access') throw new InvalidTokenError('Not an access token');
  if (p.exp === undefined) throw new InvalidTokenError('Issued token without exp');
  checkTimes(p, now);
  const clientName = p.clientName;
  if (typeof clientName !== 'string' || !CLIENT_NAME_PATTERN.test(clientName))
    throw new InvalidTokenError('Issued token without clientName');
  const client = await (clientRead ?? deps.clientDirectory.get(clientName));
  if (!client) throw new InvalidTokenError('The client no longer exists');
  // Our own tokens are for this deployment: an `aud`, if one is ever set, must name its issuer identifier.
  checkAudience(p, undefined, deps.issuer);
  return { entity: entityOf(p, clientName, client, 'issued', alg, kid), client };
}

/** The client named by `clientName` or `iss`; when both are present they must agree. */
export function clientNameOf(payload: JwtPayload): string {
  const { clientName, iss } = payload;
  if (clientName !== undefined && iss !== undefined && clientName !== iss) {
    throw new InvalidTokenError('Claims clientName and iss disagree');
  }
  const name = clientName ?? iss;
  if (typeof name !== 'string') throw new InvalidTokenError('Token names no client (clientName or iss)');
  if (!CLIENT_NAME_PATTERN.test(name)) throw new InvalidTokenError('Token names no valid client');
  return name;
}

/**
 * Until the signature verifies, nothing about the client the token names may show: whether it
 * exists, which kids it registered, how many keys it has or of which type. So every way of not
 * finding a key that verifies (unknown client, no key, unknown kid, several keys and no kid, an
 * alg the key does not take, a wrong signature or secret) is one answer, and an unknown client
 * runs the same steps as a known one (one directory read, one HMAC against a decoy secret).
 * Only a token that verified meets the checks that name a cause (time, policy, revocation).
 */
const NO_KEY_VERIFIES = 'Signature does not verify with a key registered for the client';
/** HS256 key for clients that do not exist: a MAC is computed either way, and never matches (see above). */
const DECOY_SECRET = Buffer.from('workoutkit decoy: no client has this secret', 'utf8');

async function verifyClientToken(
  jwt: ParsedJwt,
  alg: Alg,
  deps: VerifierDeps,
  now: number,
  clientRead: Promise<ClientAuthView | undefined> | undefined,
): Promise<Verified> {
  const clientName = clientNameOf(jwt.payload);
  const client = await (clientRead ?? deps.clientDirectory.get(clientName));
  let kind: TokenKind;
  let kid: string | undefined;
  let verified: boolean;
  if (alg === 'HS256') {
    kind = 'client-hs256';
    const secrets = client && client.hmacSecrets.length > 0 ? client.hmacSecrets : [DECOY_SECRET];
    // Every secret is tried (no early exit), so the time does not tell which one matched.
    verified = secrets.map((s) => verifyHs256(s, jwt.signingInput, jwt.signature)).includes(true) && client !== undefined;
  } else {
    kind = 'client-asymmetric';
    kid = jwt.header.kid;
    // A certificate's key verifies only inside the certificate's validity window.
    const candidates = client ? (await deps.clientDirectory.keysFor(client, kid)).filter((k) => keyUsableAt(k, now)) : [];
    // Without a kid only a client with exactly one key can be verified: which key would be guessed.
    const key = candidates.length === 1 ? candidates[0] : undefined;
    verified = key !== undefined && key.algs.includes(alg) && verifyAsymmetric(alg, key.key, jwt.signingInput, jwt.signature);
  }
  if (!verified || client === undefined) throw new InvalidSignatureError(NO_KEY_VERIFIES);
  const p = jwt.payload;
  checkTimes(p, now);
  checkPolicy(p, client.policy, clientName, deps.issuer);
  return { entity: entityOf(p, clientName, client, kind, alg, kid), client };
}

function entityOf(
  p: JwtPayload,
  clientName: string,
  client: ClientAuthView,
  tokenKind: TokenKind,
  alg: Alg,
  kid: string | undefined,
): AuthenticatedEntity {
  const e: AuthenticatedEntity = {
    clientName,
    scope: effectiveScope(normalizeScope(p.scope), client.scopes),
    tokenKind,
    alg,
  };
  if (typeof p.sub === 'string') e.sub = p.sub;
  if (kid !== undefined) e.kid = kid;
  if (typeof p.exp === 'number') e.expiresAt = p.exp;
  if (typeof p.iat === 'number') e.issuedAt = p.iat;
  if (typeof p.jti === 'string') e.jti = p.jti;
  return e;
}
