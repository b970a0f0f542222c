import type { IncomingMessage } from 'node:http';

/** An IPv4 or IPv6 address as a proxy writes it; anything else in the header is not trusted. */
const ADDRESS = /^[0-9A-Fa-f:.]{2,45}$/;

/**
 * The address a caller is budgeted by (anonymous rate limits, socket caps). Behind a proxy every
 * socket comes from the proxy, so `TRUSTED_PROXY_HEADER` names the header it sets: the last entry
 * is the one our proxy appended (entries before it are whatever the client sent, and a client can
 * send anything). Without that setting, or when the header is missing or malformed, the socket's
 * peer address is used.
 */
export function clientAddressOf(request: IncomingMessage, trustedProxyHeader?: string): string {
  if (trustedProxyHeader) {
    const header = request.headers[trustedProxyHeader];
    const value = Array.isArray(header) ? header.at(-1) : header;
    const last = value?.split(',').at(-1)?.trim();
    if (last && ADDRESS.test(last)) return normalize(last);
  }
  return normalize(request.socket.remoteAddress ?? 'unknown');
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one caller. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address.toLowerCase();
}
