import { SignJWT, jwtVerify, createRemoteJWKSet, errors as joseErrors, type JWTPayload } from 'jose';
import { unauthenticated } from '../errors';

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

export interface BearerVerifierOptions {
  jwtSecret: string;
  jwksUrl?: string;
}

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
  const secret = new TextEncoder().encode(options.jwtSecret);
  const jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined;

  return async function verifyAuthorization(header: string | undefined | null): Promise<VerifiedToken | null> {
    if (header === undefined || header === null || header.trim() === '') return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
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
    return {
      identity: {
        userId: payload.sub,
        email: typeof payload.email === 'string' ? payload.email : undefined,
        name: typeof payload.name === 'string' ? payload.name : undefined,
      },
      expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined,
    };
  };
}

/**
 * Signs the identity the gateway forwards to subgraphs. Anonymous callers get a token too, so that
 * every gateway request carries proof of where it came from.
 */
export async function signGatewayIdentity(identity: Identity | null, subgraphSecret: string): Promise<string> {
  const claims = identity ? { email: identity.email, name: identity.name } : { anonymous: true };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(INTERNAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${INTERNAL_TOKEN_TTL_SECONDS}s`);
  if (identity) jwt.setSubject(identity.userId);
  return jwt.sign(new TextEncoder().encode(subgraphSecret));
}

export interface GatewayProof {
  /** True when the request carried a valid token signed by the gateway. */
  fromGateway: boolean;
  identity: Identity | null;
}

/**
 * Reads the identity a subgraph receives. Anything not signed by the gateway (hand-made headers,
 * a forged or expired token) yields no identity.
 */
export async function readGatewayIdentity(
  token: string | undefined | null,
  subgraphSecret: string,
): Promise<GatewayProof> {
  if (!token) return { fromGateway: false, identity: null };
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(subgraphSecret), {
      algorithms: ['HS256'],
      issuer: INTERNAL_ISSUER,
      audience: INTERNAL_AUDIENCE,
    });
    if (typeof payload.sub !== 'string') return { fromGateway: true, identity: null };
    return {
      fromGateway: true,
      identity: {
        userId: payload.sub,
        email: typeof payload.email === 'string' ? payload.email : undefined,
        name: typeof payload.name === 'string' ? payload.name : undefined,
      },
    };
  } catch {
    return { fromGateway: false, identity: null };
  }
}
