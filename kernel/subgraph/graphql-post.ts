import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { GATEWAY_IDENTITY_HEADER, readGatewayIdentity, type Identity } from '../auth/identity';
import { GATEWAY_ONLY_BODY, httpFailureBody } from '../http-errors';
import { ACCESS_GRANT_HEADER } from '../platform/access-grant';
import { tracingActive } from '../observability/tracing';

export interface GraphqlPostOptions<TContext extends BaseContext> {
  server: ApolloServer<TContext>;
  subgraphSecret: string;
  /** Largest body accepted, in bytes (as `express.json({ limit })`). */
  limitBytes: number;
  /** `accessGrants`: the request's `x-event-access` header (see access-grant.ts). */
  createContext(identity: Identity | null, clientAddress: string | null, accessGrants: string | undefined): TContext;
  /** Called for each GraphQL request taken (the subgraph counts them). */
  onRequest(): void;
  draining(): boolean;
}

/**
 * `POST /graphql` with a JSON body, answered without Express: the same steps as the Express chain
 * (the gateway's proof before the body is read, a 1 MB limit, the same error bodies), without a
 * router, body-parser, content negotiation and `res.send` around every subgraph fetch. Returns false
 * for anything else (other paths and methods, other content types, compressed bodies, and every
 * request while tracing is on), which the caller hands to Express untouched.
 */
export function graphqlPostHandler<TContext extends BaseContext>(options: GraphqlPostOptions<TContext>) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'POST' || !isGraphqlPath(req.url) || tracingActive()) return false;
    if (!/^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(req.headers['content-type'] ?? '')) return false;
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
    options.onRequest();
    if (options.draining()) res.setHeader('connection', 'close');
    void answer(req, res, options).catch(() => {
      if (!res.headersSent) sendJson(res, 500, httpFailureBody(500));
      else res.destroy();
    });
    return true;
  };
}

function isGraphqlPath(url: string | undefined): boolean {
  return url === '/graphql' || url?.startsWith('/graphql?') === true;
}

async function answer<TContext extends BaseContext>(req: IncomingMessage, res: ServerResponse, options: GraphqlPostOptions<TContext>): Promise<void> {
  // Sealed: only the gateway may call a subgraph, `_service` and `_entities` included.
  const proof = await readGatewayIdentity(req.headers[GATEWAY_IDENTITY_HEADER] as string | undefined, options.subgraphSecret);
  if (!proof.fromGateway) {
    req.resume();
    sendJson(res, 401, GATEWAY_ONLY_BODY);
    return;
  }
  const body = await readBody(req, options.limitBytes);
  if (body === TOO_LARGE) {
    sendJson(res, 413, httpFailureBody(413));
    return;
  }
  let parsed: unknown;
  try {
    // As body-parser's strict JSON: an empty body is an empty object, anything but an object or array is refused.
    parsed = body.length === 0 ? {} : JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) throw new SyntaxError('not an object or array');
  } catch {
    sendJson(res, 400, httpFailureBody(400));
    return;
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const queryAt = req.url!.indexOf('?');
  const response = await options.server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers, search: queryAt < 0 ? '' : req.url!.slice(queryAt), body: parsed },
    context: async () => options.createContext(proof.identity, proof.clientAddress, req.headers[ACCESS_GRANT_HEADER] as string | undefined),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

const TOO_LARGE = Symbol('too large');

function readBody(req: IncomingMessage, limitBytes: number): Promise<string | typeof TOO_LARGE> {
  const declared = Number(req.headers['content-length']);
  if (declared > limitBytes) {
    req.resume();
    return Promise.resolve(TOO_LARGE);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
    });
    req.once('end', () => resolve(size > limitBytes ? TOO_LARGE : Buffer.concat(chunks, size).toString('utf8')));
    req.once('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, answer: object): void {
  const body = JSON.stringify(answer);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
