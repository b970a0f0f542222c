import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse['headers'];

const IDLE_CONNECTION_MS = 30_000;

export interface SubgraphFetcher {
  fetch: Fetcher;
  /** Closes the kept-alive connections (on shutdown). */
  dispose(): void;
}

/**
 * The gateway's HTTP client for subgraph fetches: node:http on kept-alive connections, the body
 * read once as a string. @apollo/gateway's default client (make-fetch-happen) builds a retrying
 * fetch pipeline and, in its agent, captures a stack trace per request; the WHATWG fetch of Node
 * (undici) wraps every body in streams. A subgraph fetch needs neither: profiling the dashboard
 * query put about a fifth of the gateway's CPU in that stack (see the README's benchmarks).
 *
 * What it does not do, on purpose: follow redirects (the identity token would follow them to
 * another host; a 3xx is a misrouted subgraph, answered as SERVICE_DEGRADED), ask for compressed
 * answers (on loopback or a private network it costs more CPU than it saves), or read
 * HTTP(S)_PROXY: subgraphs are reached directly.
 */
export function createSubgraphFetcher(options: { timeoutMs: number }): SubgraphFetcher {
  // Idle connections close well before the subgraphs close theirs (65 s), so that no request is
  // sent on a connection the server is closing; `timeout` destroys only idle sockets.
  const agentOptions = { keepAlive: true, timeout: IDLE_CONNECTION_MS, scheduling: 'lifo' as const };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);
  const fetch: Fetcher = (url, init = {}) =>
    new Promise<FetcherResponse>((resolve, reject) => {
      const secure = url.startsWith('https:');
      const request = (secure ? https : http).request(url, {
        method: init.method ?? 'GET',
        headers: init.headers,
        agent: secure ? httpsAgent : httpAgent,
      });
      // A subgraph that never answers must not hold the client's request forever: past the
      // deadline the fetch fails as an outage (ETIMEDOUT), which clients see as SERVICE_DEGRADED.
      const deadline = setTimeout(() => {
        request.destroy(Object.assign(new Error(`The subgraph did not answer within ${options.timeoutMs} ms.`), { code: 'ETIMEDOUT' }));
      }, options.timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(deadline);
        reject(error);
      };
      request.on('error', fail);
      request.once('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        // The connection closed before the whole body came: no truncated JSON reaches the gateway.
        response.once('close', () => {
          if (!response.complete) fail(Object.assign(new Error('The subgraph closed the connection mid-answer.'), { code: 'ECONNRESET' }));
        });
        response.once('end', () => {
          clearTimeout(deadline);
          const status = response.statusCode ?? 0;
          resolve(bufferedResponse(url, status, response.statusMessage ?? '', response.headers, Buffer.concat(chunks).toString('utf8')));
        });
      });
      request.end(init.body);
    });
  return {
    fetch,
    dispose: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function bufferedResponse(url: string, status: number, statusText: string, raw: IncomingHttpHeaders, body: string): FetcherResponse {
  let bodyUsed = false;
  const read = () => {
    bodyUsed = true;
    return body;
  };
  return {
    url,
    status,
    statusText,
    ok: status >= 200 && status < 300,
    redirected: false,
    headers: new ResponseHeaders(raw),
    get bodyUsed() {
      return bodyUsed;
    },
    text: async () => read(),
    json: async () => JSON.parse(read()),
    arrayBuffer: async () => {
      const bytes = Buffer.from(read(), 'utf8');
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
    clone: () => bufferedResponse(url, status, statusText, raw, body),
  };
}

/** Read-only response headers over node's (lower-cased) header object. */
class ResponseHeaders implements FetcherHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  append(): void {
    throw new TypeError('Response headers are read-only.');
  }

  set(): void {
    throw new TypeError('Response headers are read-only.');
  }

  delete(): void {
    throw new TypeError('Response headers are read-only.');
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name)!];
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}
