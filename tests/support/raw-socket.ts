import WebSocket from 'ws';
import { wsUrl } from './live';

/** A graphql-transport-ws socket driven by hand: what arrives, and how it closed. */
export interface RawSocket {
  /** `ack` once `connection_ack` arrives, else the close code. */
  outcome: Promise<'ack' | number>;
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
  send(message: Record<string, unknown>): void;
  subscribe(id: string, query: string, variables?: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** Opens a socket, sends `connection_init` with `payload`, and records everything. */
export function openRawSocket(gatewayUrl: string, payload: unknown, headers: Record<string, string> = {}): RawSocket {
  const socket = new WebSocket(wsUrl(gatewayUrl), 'graphql-transport-ws', { headers });
  const messages: any[] = [];
  let settle: (value: 'ack' | number) => void;
  const outcome = new Promise<'ack' | number>((resolve) => {
    settle = resolve;
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => {
      settle(code);
      resolve({ code, reason: reason.toString() });
    });
  });
  socket.on('error', () => undefined);
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    messages.push(message);
    if (message.type === 'connection_ack') settle('ack');
  });
  return {
    outcome,
    messages,
    closed,
    send: (message) => socket.send(JSON.stringify(message)),
    subscribe: (id, query, variables = {}) => socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } })),
    close: async () => {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close(1000);
      await closed;
    },
  };
}
