/** graphql-ws close code for a socket refused because a socket cap is reached (4xxx: the application's range). */
export const TOO_MANY_SOCKETS_CLOSE = 4429;

export interface ConnectionCapLimits {
  socketsPerCaller: number;
  subscriptionsPerCaller: number;
  sockets: number;
  subscriptions: number;
}

export interface ConnectionCapStats {
  sockets: number;
  subscriptions: number;
  /** Callers holding at least one socket or subscription (entries kept in memory). */
  callers: number;
}

/** Why an admission was refused, in words a client can act on. */
export type Refusal = { admitted: false; reason: string };
export type Admission = { admitted: true } | Refusal;

interface Holdings {
  sockets: number;
  subscriptions: number;
}

/**
 * Counts what each caller holds open on the gateway's graphql-ws endpoint (sockets, running
 * subscriptions) and refuses more than the caps allow: per caller (a user id, or an anonymous
 * caller's address) and for the whole gateway. Every admission is paired with one release; a
 * caller's entry goes away with its last socket, so memory returns when sockets close.
 *
 * Issue 23 found one user holding 50 sockets × 100 subscriptions (~80 KB each) with nothing to stop it.
 */
export class ConnectionCaps {
  private readonly holdings = new Map<string, Holdings>();
  private sockets = 0;
  private subscriptions = 0;

  constructor(readonly limits: ConnectionCapLimits) {}

  /** Admits one more socket of `caller`; its holdings release everything it took when it closes. */
  admitSocket(caller: string): { admitted: true; holdings: SocketHoldings } | Refusal {
    if (this.sockets >= this.limits.sockets) return refuse('The server holds as many live connections as it can; try again later.');
    const held = this.holdings.get(caller) ?? { sockets: 0, subscriptions: 0 };
    if (held.sockets >= this.limits.socketsPerCaller) {
      return refuse(`At most ${this.limits.socketsPerCaller} live connections per caller; close one first.`);
    }
    held.sockets += 1;
    this.sockets += 1;
    this.holdings.set(caller, held);
    return { admitted: true, holdings: new SocketHoldings(this, caller) };
  }

  /** @internal Through {@link SocketHoldings}. */
  releaseSocket(caller: string): void {
    const held = this.holdings.get(caller);
    if (!held || held.sockets === 0) return;
    held.sockets -= 1;
    this.sockets -= 1;
    this.forgetIdle(caller, held);
  }

  /** @internal Through {@link SocketHoldings}. */
  admitSubscription(caller: string): Admission {
    if (this.subscriptions >= this.limits.subscriptions) {
      return refuse('The server runs as many subscriptions as it can; try again later.');
    }
    const held = this.holdings.get(caller);
    if (!held) return refuse('The connection is not admitted.');
    if (held.subscriptions >= this.limits.subscriptionsPerCaller) {
      return refuse(`At most ${this.limits.subscriptionsPerCaller} subscriptions per caller; stop one first.`);
    }
    held.subscriptions += 1;
    this.subscriptions += 1;
    return { admitted: true };
  }

  /** @internal Through {@link SocketHoldings}. */
  releaseSubscription(caller: string): void {
    const held = this.holdings.get(caller);
    if (!held || held.subscriptions === 0) return;
    held.subscriptions -= 1;
    this.subscriptions -= 1;
    this.forgetIdle(caller, held);
  }

  stats(): ConnectionCapStats {
    return { sockets: this.sockets, subscriptions: this.subscriptions, callers: this.holdings.size };
  }

  private forgetIdle(caller: string, held: Holdings): void {
    if (held.sockets === 0 && held.subscriptions === 0) this.holdings.delete(caller);
  }
}

/**
 * What one socket holds: its own admission and the ids of its admitted operations. Releasing is
 * idempotent, so graphql-ws's completion of an operation and the socket's close may both release.
 */
export class SocketHoldings {
  private readonly operations = new Set<string>();
  private open = true;

  constructor(
    private readonly caps: ConnectionCaps,
    readonly caller: string,
  ) {}

  admitOperation(id: string): Admission {
    if (!this.open) return refuse('The connection is closing.');
    const admission = this.caps.admitSubscription(this.caller);
    if (admission.admitted) this.operations.add(id);
    return admission;
  }

  releaseOperation(id: string): void {
    if (this.operations.delete(id)) this.caps.releaseSubscription(this.caller);
  }

  /** The socket closed: everything it held goes back. */
  release(): void {
    if (!this.open) return;
    this.open = false;
    for (const id of [...this.operations]) this.releaseOperation(id);
    this.caps.releaseSocket(this.caller);
  }
}

const refuse = (reason: string): Refusal => ({ admitted: false, reason });

/** The key a caller's holdings are counted under: the user, or the anonymous caller's address. */
export const callerKey = (userId: string | undefined, address: string) => (userId ? `user:${userId}` : `address:${address}`);
