import { signGatewayIdentity, type Identity } from '../kernel/auth/identity';

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
  private readonly tokens = new Map<string, { token: Promise<string>; signedAt: number }>();

  constructor(private readonly subgraphSecret: string) {}

  tokenFor(identity: Identity | null, clientAddress?: string, now = Date.now()): Promise<string> {
    const key = identity ? `user\u0000${identity.userId}\u0000${identity.email ?? ''}\u0000${identity.name ?? ''}` : `anonymous\u0000${clientAddress ?? ''}`;
    const cached = this.tokens.get(key);
    if (cached && now - cached.signedAt < TOKEN_REUSE_MS) return cached.token;
    const token = signGatewayIdentity(identity, this.subgraphSecret, clientAddress);
    this.tokens.delete(key);
    if (this.tokens.size >= MAX_CALLERS) this.tokens.delete(this.tokens.keys().next().value!);
    this.tokens.set(key, { token, signedAt: now });
    token.catch(() => this.tokens.get(key)?.token === token && this.tokens.delete(key));
    return token;
  }
}
