/**
 * Remembers what verifying a token concluded, until the token expires: the same bearer token comes
 * back on every request of a signed-in dashboard, and the gateway's signed identity reaches each
 * subgraph fetch of one request, so most verifications would repeat one already done. Only
 * successful verifications are kept; a token is never served from here once past its `exp`.
 * Bounded: past `capacity` entries the oldest goes first.
 */
export class VerifiedTokens<T> {
  private readonly entries = new Map<string, { value: T; expiresAtMs: number }>();

  constructor(private readonly capacity = 1_000) {}

  get(token: string, nowMs = Date.now()): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (nowMs >= entry.expiresAtMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.value;
  }

  /** Keeps `value` for `token` until `expiresAtMs` (epoch milliseconds). */
  set(token: string, value: T, expiresAtMs: number): void {
    if (this.entries.size >= this.capacity && !this.entries.has(token)) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(token, { value, expiresAtMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
