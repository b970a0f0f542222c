import { signGatewayIdentity, type Identity } from '../kernel/auth/identity';
import { ExpiringCache } from '../kernel/expiring-cache';

/** How long one signed identity serves its caller's fetches; the token itself lives 60 s. */
export const TOKEN_REUSE_MS = 20_000;
const MAX_CALLERS = 10_000;

/**
 * The identity tokens the gateway hands to subgraphs, signed once per caller and reused for
 * `TOKEN_REUSE_MS` by every fetch of every request of that caller (or of that anonymous address):
 * signing on each request costs CPU, and a subgraph that sees the same token again answers from
 * what it verified before. Bounded: past `MAX_CALLERS` the oldest goes first.
 */
export class SignedIdentities {
  private readonly tokens = new ExpiringCache<Promise<string>>(MAX_CALLERS);

  tokenFor(subgraphSecret: string, identity: Identity | null, clientAddress?: string, now = Date.now()): Promise<string> {
    const caller = identity ? `user\u0000${identity.userId}\u0000${identity.email ?? ''}\u0000${identity.name ?? ''}` : `anonymous\u0000${clientAddress ?? ''}`;
    const key = `${subgraphSecret}\u0000${caller}`;
    const cached = this.tokens.get(key, now);
    if (cached) return cached;
    const token = signGatewayIdentity(identity, subgraphSecret, clientAddress);
    this.tokens.set(key, token, now + TOKEN_REUSE_MS);
    token.catch(() => this.tokens.get(key, now) === token && this.tokens.delete(key));
    return token;
  }
}
