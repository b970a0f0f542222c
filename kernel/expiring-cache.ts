import { setNewest } from './bounded-map';

/**
 * Values kept until a moment of their own, each under a string key: what verifying a token
 * concluded (until the token's `exp`), a token signed for a caller (until it should be re-signed).
 * An entry is never served once its moment has come. Bounded: past `capacity` entries the oldest
 * goes first.
 */
export class ExpiringCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAtMs: number }>();

  constructor(private readonly capacity = 1_000) {}

  get(key: string, nowMs = Date.now()): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (nowMs >= entry.expiresAtMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Keeps `value` under `key` until `expiresAtMs` (epoch milliseconds), as the newest entry. */
  set(key: string, value: T, expiresAtMs: number): void {
    setNewest(this.entries, key, { value, expiresAtMs }, this.capacity);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
