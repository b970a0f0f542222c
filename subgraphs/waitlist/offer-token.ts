import { createHmac } from 'node:crypto';
import { sameBytes } from '../../kernel/auth/same-bytes';

/** What an offer token binds: one offer (its token id) on one entry of one session, until its expiry. */
export interface OfferClaims {
  entryId: string;
  sessionId: string;
  /** `waitlist_entries.offer_token_id`: a new offer on the same entry gets a new one, so older tokens stop working. */
  tokenId: string;
  expiresAt: Date;
}

const PREFIX = 'wlo1';
/** Keeps the offer-token key distinct from every other use of the subgraph secret. */
const KEY_LABEL = 'waitlist-offer-token/v1';

/**
 * Signs and verifies offer tokens: `wlo1.<base64url claims>.<base64url HMAC-SHA256>`. The signature
 * makes a token verifiable and tamper-evident; single use is enforced by the entry's status in
 * PostgreSQL, since only one accept can move an entry from OFFERED to ACCEPTED.
 */
export class OfferTokens {
  private constructor(private readonly key: Buffer) {}

  /** From an explicit secret, or derived from the subgraph secret under the waitlist's own label. */
  static fromSecrets(secrets: { offerSecret?: string; subgraphSecret: string }): OfferTokens {
    const key = secrets.offerSecret
      ? Buffer.from(secrets.offerSecret, 'utf8')
      : createHmac('sha256', secrets.subgraphSecret).update(KEY_LABEL).digest();
    return new OfferTokens(key);
  }

  sign(claims: OfferClaims): string {
    const body = Buffer.from(
      JSON.stringify({ e: claims.entryId, s: claims.sessionId, t: claims.tokenId, x: claims.expiresAt.getTime() }),
    ).toString('base64url');
    return `${PREFIX}.${body}.${this.mac(body).toString('base64url')}`;
  }

  /** The claims of a token this service signed, or null for anything else (malformed or tampered). */
  verify(token: string): OfferClaims | null {
    const parts = token.trim().split('.');
    if (parts.length !== 3 || parts[0] !== PREFIX) return null;
    const [, body, signature] = parts;
    if (!sameBytes(Buffer.from(signature, 'base64url'), this.mac(body))) return null;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
      const { e, s, t, x } = claims;
      if (typeof e !== 'string' || typeof s !== 'string' || typeof t !== 'string' || typeof x !== 'number') return null;
      return { entryId: e, sessionId: s, tokenId: t, expiresAt: new Date(x) };
    } catch {
      return null;
    }
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(`${PREFIX}.${body}`).digest();
  }
}
