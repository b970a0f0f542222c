import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** One HTTP request of the load: when it started and ended, and how it ended. */
export interface Outcome {
  op: string;
  startedAt: number;
  endedAt: number;
  /** The HTTP status, or 0 when no response came (connection refused or cut). */
  status: number;
  /** The first GraphQL error code, if the response had errors. */
  errorCode?: string;
  data?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Sends one GraphQL operation over HTTP and records how it went; never throws. */
export async function send(outcomes: Outcome[], op: string, url: string, token: string, body: string): Promise<Outcome> {
  const startedAt = Date.now();
  let outcome: Outcome;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let json: { data?: unknown; errors?: { extensions?: { code?: string } }[] } = {};
    try {
      json = JSON.parse(text);
    } catch {
      // a non-JSON body (a proxy's or a crash's): the status says enough
    }
    outcome = { op, startedAt, endedAt: Date.now(), status: response.status, errorCode: json.errors?.[0]?.extensions?.code ?? (json.errors ? 'UNKNOWN' : undefined), data: json.data };
  } catch {
    outcome = { op, startedAt, endedAt: Date.now(), status: 0 };
  }
  outcomes.push(outcome);
  return outcome;
}

/** The last message a subscriber got, and how often its socket (re)connected. */
export interface Subscriber {
  label: string;
  messages: number;
  connects: number;
  errors: string[];
  last: Map<string, unknown>;
  client: Client;
  dispose(): Promise<void>;
}

/**
 * A graphql-ws subscriber that, like a browser tab, reconnects when its gateway goes away: the
 * next attempt goes to the other gateway, and the subscription is sent again there.
 */
export function subscribe(
  label: string,
  gatewayPorts: number[],
  token: string,
  operation: { query: string; operationName?: string },
  variables: Record<string, unknown>,
  keyOf: (payload: any) => string, // eslint-disable-line @typescript-eslint/no-explicit-any
): Subscriber {
  let attempt = Math.floor(Math.random() * gatewayPorts.length);
  const subscriber: Subscriber = {
    label,
    messages: 0,
    connects: 0,
    errors: [],
    last: new Map(),
    client: createClient({
      url: () => `ws://127.0.0.1:${gatewayPorts[attempt++ % gatewayPorts.length]}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      retryAttempts: Number.MAX_SAFE_INTEGER,
      retryWait: async () => new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700)),
      shouldRetry: () => true,
      on: { connected: () => (subscriber.connects += 1) },
    }),
    dispose: async () => {
      unsubscribe();
      await subscriber.client.dispose();
    },
  };
  const unsubscribe = subscriber.client.subscribe(
    { ...operation, variables },
    {
      next: (message) => {
        if (message.errors) subscriber.errors.push(JSON.stringify(message.errors));
        if (!message.data) return;
        subscriber.messages += 1;
        subscriber.last.set(keyOf(message.data), message.data);
      },
      error: (error) => subscriber.errors.push(Array.isArray(error) ? JSON.stringify(error) : String((error as Error)?.message ?? error)),
      complete: () => undefined,
    },
  );
  return subscriber;
}
