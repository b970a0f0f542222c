import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client, type Sink } from 'graphql-ws';
import WebSocket from 'ws';
import { GATEWAY_IDENTITY_HEADER, signGatewayIdentity, type Identity } from '../../kernel/auth/identity';
import type { Logger } from '../../kernel/logger';

export interface UpstreamRequest {
  query: string;
  operationName?: string;
  variables: Record<string, unknown>;
}

export interface UpstreamStats {
  /** Open graphql-ws connections to subgraphs. */
  connections: number;
  /** Subscriptions running on them. */
  subscriptions: number;
}

export interface UpstreamOptions {
  /** The HTTP URL of a subgraph's /graphql by name; its graphql-ws endpoint is the same path. */
  urlOf(serviceName: string): string | undefined;
  subgraphSecret: string;
  logger: Logger;
  keepAliveMs: number;
}

/**
 * The gateway's subscriptions to its subgraphs over graphql-ws: one connection per subgraph,
 * shared by every subscriber of this gateway, proven with the gateway's signed token in
 * `connection_init`. Each subscription names its caller with its own signed identity in the
 * subscribe message's extensions. A dropped connection (a replica killed or replaced) is resumed:
 * the subscription is sent again, on a new connection that the subgraph's load balancer routes to a
 * live replica, and its first message is a fresh snapshot, so subscribers miss nothing. Only when
 * no replica answers within the retry budget does the subscription end with the failure.
 */
/** Waits before each new attempt after a lost connection: about 8 s in all, then the failure stands. */
const RESUBSCRIBE_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000];

export class UpstreamSubscriptions {
  private readonly clients = new Map<string, Client>();
  private connections = 0;
  private subscriptions = 0;
  private disposed = false;

  constructor(private readonly options: UpstreamOptions) {}

  /** Subscribes on the named subgraph; the returned function ends the subscription at once. */
  subscribe(serviceName: string, request: UpstreamRequest, identity: Identity | null, sink: Sink<FormattedExecutionResult>): () => void {
    let ended = false;
    let unsubscribe: (() => void) | undefined;
    let retryTimer: NodeJS.Timeout | undefined;
    let failures = 0;
    this.subscriptions += 1;
    const end = () => {
      if (ended) return false;
      ended = true;
      clearTimeout(retryTimer);
      this.subscriptions -= 1;
      return true;
    };
    const fail = (error: unknown) => {
      if (ended) return;
      const delay = RESUBSCRIBE_DELAYS_MS[failures];
      // A subgraph's `error` message (GraphQL errors, an array) is an answer, not a lost connection.
      if (Array.isArray(error) || delay === undefined) {
        if (end()) sink.error(error);
        return;
      }
      failures += 1;
      this.options.logger.warn({ failure: describeFailure(error), subgraph: serviceName, attempt: failures }, 'upstream subscription lost; subscribing again');
      retryTimer = setTimeout(attempt, delay);
      retryTimer.unref();
    };
    const attempt = () => {
      let client: Client;
      try {
        if (this.disposed) throw new Error('The gateway is shutting down.');
        client = this.clientFor(serviceName);
      } catch (error) {
        if (end()) sink.error(error);
        return;
      }
      signGatewayIdentity(identity, this.options.subgraphSecret).then((token) => {
        if (ended) return;
        unsubscribe = client.subscribe<Record<string, unknown>, Record<string, unknown>>(
          { ...request, extensions: { [GATEWAY_IDENTITY_HEADER]: token } },
          {
            next: (result) => {
              if (ended) return;
              failures = 0;
              sink.next(result);
            },
            error: fail,
            complete: () => {
              if (end()) sink.complete();
            },
          },
        );
      }, fail);
    };
    attempt();
    return () => {
      if (!end()) return;
      unsubscribe?.();
    };
  }

  stats(): UpstreamStats {
    return { connections: this.connections, subscriptions: this.subscriptions };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.dispose()));
  }

  private clientFor(serviceName: string): Client {
    const existing = this.clients.get(serviceName);
    if (existing) return existing;
    const url = this.options.urlOf(serviceName);
    if (!url) throw new Error(`No URL for subgraph ${serviceName}`);
    let connected = false;
    let pongTimer: NodeJS.Timeout | undefined;
    const client: Client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      // Kept open while the gateway runs, as an HTTP agent keeps its connections: subscribers come
      // and go, and a reconnect per dashboard refresh would be waste. After a failure the next
      // subscription connects again.
      lazy: false,
      onNonLazyError: (error) => this.options.logger.warn({ failure: describeFailure(error), subgraph: serviceName }, 'upstream subscription connection lost'),
      retryAttempts: 0,
      keepAlive: this.options.keepAliveMs,
      connectionParams: async () => ({ [GATEWAY_IDENTITY_HEADER]: await signGatewayIdentity(null, this.options.subgraphSecret) }),
      on: {
        connected: () => {
          connected = true;
          this.connections += 1;
        },
        // graphql-ws pings but does not notice a silent peer (a replica gone behind a proxy that
        // keeps the TCP connection): no pong within a keep-alive interval ends the connection.
        ping: (received) => {
          if (received) return;
          clearTimeout(pongTimer);
          pongTimer = setTimeout(() => {
            this.options.logger.warn({ subgraph: serviceName }, 'upstream subscription connection silent; closing it');
            client.terminate();
          }, this.options.keepAliveMs);
          pongTimer.unref();
        },
        pong: (received) => {
          if (received) clearTimeout(pongTimer);
        },
        // Also fires for attempts that never connected; only connections are counted.
        closed: () => {
          clearTimeout(pongTimer);
          if (!connected) return;
          connected = false;
          this.connections -= 1;
        },
        error: (error) => this.options.logger.warn({ failure: describeFailure(error), subgraph: serviceName }, 'upstream subscription connection failed'),
      },
    });
    this.clients.set(serviceName, client);
    return client;
  }
}

/** graphql-ws reports failures as errors or as close events, which loggers print as `{}`. */
export function describeFailure(failure: unknown): Record<string, unknown> {
  if (failure instanceof Error) return { message: failure.message };
  if (typeof failure === 'object' && failure !== null && 'code' in failure) {
    const { code, reason } = failure as { code: unknown; reason?: unknown };
    return { closeCode: code, reason };
  }
  return { failure: String(failure) };
}
