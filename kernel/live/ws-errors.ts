import type { WebSocketServer } from 'ws';
import type { Logger } from '../logger';

/**
 * Logs socket errors with the process logger instead of graphql-ws's `console.error`. Most are a
 * client's fault (a message over `maxPayload`, a broken frame), after which ws closes the socket
 * with the matching code (1009, 1002) by itself; printing a stack for each would let any client
 * flood the logs. Call after `useServer`, whose own listener it replaces.
 */
export function logSocketErrors(wss: WebSocketServer, logger: Logger): void {
  wss.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (error) => logger.warn({ err: error }, 'websocket error; the socket is closed'));
  });
}
