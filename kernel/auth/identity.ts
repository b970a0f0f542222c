import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, createRemoteJWKSet, errors as joseErrors, type JWTPayload } from 'jose';
import { unauthenticated } from '../errors';
import { ExpiringCache } from '../expiring-cache';

/** Who is calling: a signed-in user, or `null` for an anonymous caller. */
export interface Identity {
  userId: string;
  email?: string;
  name?: string;
}

/** The header through which the gateway hands a verified identity to subgraphs. */
export const GATEWAY_IDENTITY_HEADER = 'x-gateway-identity';

const INTERNAL_ISSUER = 'monetization-gateway';
const INTERNAL_AUDIENCE = 'monetization-subgraphs';
const INTERNAL_TOKEN_TTL_SECONDS = 60;

/**
 * HMAC keys as KeyObjects, made once per secret: given bytes, jose imports a key on every sign and
 * verify (one per request on the gateway and on every subgraph).
 */
const hmacKeys = new Map<string, KeyObject>();
function hmacKey(secret: string): KeyObject {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    hmacKeys.set(secret, key);
  }
  return key;
}

export interface BearerVerifierOptions {
  jwtSecret: string;
  jwksUrl?: string;
  /** Longest lifetime a token may claim (`exp` minus `iat`, or minus now without `iat`); default one day. */
  maxLifetimeSeconds?: number;
}

/** How long a verified bearer token is answered from memory at most (within its own `exp`). */
const REMEMBER_VERIFIED_MS = 5 * 60_000;

/** Clock difference tolerated between the identity provider and us when reading `iat`. */
const CLOCK_SKEW_SECONDS = 60;

export interface VerifiedToken {
  identity: Identity;
  /** Expiry in epoch milliseconds, used to close long-lived connections when the token expires. */
  expiresAt?: number;
}

/**
 * Verifies `Authorization: Bearer <JWT>` (HS256 with the shared secret, or RS256 through JWKS when
 * configured). A missing header is an anonymous caller; an invalid or expired token is UNAUTHENTICATED.
 */
export function createBearerVerifier(options: BearerVerifierOptions) {
  const secret = hmacKey(options.jwtSecret);
  const jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined;
  const maxLifetimeSeconds = options.maxLifetimeSeconds ?? 86_400;
  // The same bearer token comes back on every request of a signed-in dashboard: only successful
  // verifications are kept.
  const verified = new ExpiringCache<VerifiedToken>();

  return async function verifyAuthorization(header: string | undefined | null): Promise<VerifiedToken | null> {
    if (header === undefined || header === null || header.trim() === '') return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    const known = verified.get(match[1]);
    if (known) return known;
    let payload: JWTPayload;
    try {
      payload = jwks
        ? (await jwtVerify(match[1], jwks, { algorithms: ['RS256'] })).payload
        : (await jwtVerify(match[1], secret, { algorithms: ['HS256'] })).payload;
    } catch (cause) {
      if (cause instanceof joseErrors.JWTExpired) throw unauthenticated('The token has expired.');
      throw unauthenticated('The token is invalid.');
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw unauthenticated('The token has no subject.');
    // A token that never expires would keep a subscription socket open for ever.
    if (typeof payload.exp !== 'number') throw unauthenticated('The token has no expiry.');
    // A stolen token that lives for decades cannot be revoked by waiting; one "issued" in the
    // future would outlive its stated lifetime.
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.iat === 'number' && payload.iat > now + CLOCK_SKEW_SECONDS) {
      throw unauthenticated('The token was issued in the future.');
    }
    const issuedAt = typeof payload.iat === 'number' ? payload.iat : now;
    if (payload.exp - issuedAt > maxLifetimeSeconds) {
      throw unauthenticated(`The token lives longer than the ${maxLifetimeSeconds} s this service accepts.`);
    }
    const result: VerifiedToken = {
      identity: {
        userId: payload.sub,
        email: typeof payload.email === 'string' ? payload.email : undefined,
        name: typeof payload.name === 'string' ? payload.name : undefined,
      },
      expiresAt: payload.exp * 1000,
    };
    // Remembered at most a few minutes: a key withdrawn from the JWKS stops being trusted soon after.
    verified.set(match[1], result, Math.min(result.expiresAt!, Date.now() + REMEMBER_VERIFIED_MS));
    return result;
  };
}

/**
 * Signs the identity the gateway forwards to subgraphs. Anonymous callers get a token too, so that
 * every gateway request carries proof of where it came from, and it names their address (`addr`),
 * by which their budgets are kept apart.
 */
export async function signGatewayIdentity(identity: Identity | null, subgraphSecret: string, clientAddress?: string): Promise<string> {
  const claims = identity ? { email: identity.email, name: identity.name } : { anonymous: true, addr: clientAddress };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(INTERNAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${INTERNAL_TOKEN_TTL_SECONDS}s`);
  if (identity) jwt.setSubject(identity.userId);
  return jwt.sign(hmacKey(subgraphSecret));
}

export interface GatewayProof {
  /** True when the request carried a valid token signed by the gateway. */
  fromGateway: boolean;
  identity: Identity | null;
  /** The anonymous caller's address as the gateway saw it; null for signed-in callers. */
  clientAddress: string | null;
}

/**
 * Gateway identities verified lately, by secret and token: one request's token reaches every fetch
 * the gateway makes to this process, and a caller's token serves them for a while (only successes).
 */
const gatewayProofs = new ExpiringCache<GatewayProof>();

/**
 * Reads the identity a subgraph receives. Anything not signed by the gateway (hand-made headers,
 * a forged or expired token) yields no identity.
 */
export async function readGatewayIdentity(
  token: string | undefined | null,
  subgraphSecret: string,
): Promise<GatewayProof> {
  if (!token) return { fromGateway: false, identity: null, clientAddress: null };
  const key = `${subgraphSecret}\u0000${token}`;
  const known = gatewayProofs.get(key);
  if (known) return known;
  try {
    const { payload } = await jwtVerify(token, hmacKey(subgraphSecret), {
      algorithms: ['HS256'],
      issuer: INTERNAL_ISSUER,
      audience: INTERNAL_AUDIENCE,
    });
    const proof: GatewayProof =
      typeof payload.sub !== 'string'
        ? { fromGateway: true, identity: null, clientAddress: typeof payload.addr === 'string' ? payload.addr : null }
        : {
            fromGateway: true,
            clientAddress: null,
            identity: {
              userId: payload.sub,
              email: typeof payload.email === 'string' ? payload.email : undefined,
              name: typeof payload.name === 'string' ? payload.name : undefined,
            },
          };
    // The gateway always sets `exp` (INTERNAL_TOKEN_TTL_SECONDS); without one, nothing is kept.
    if (typeof payload.exp === 'number') gatewayProofs.set(key, proof, payload.exp * 1000);
    return proof;
  } catch {
    return { fromGateway: false, identity: null, clientAddress: null };
  }
}
