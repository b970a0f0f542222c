import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSubgraphFetcher, type SubgraphFetcher } from '../../gateway/subgraph-fetcher';
import { freePort } from '../support/ports';

describe('the gateway client for subgraph fetches', () => {
  let server: http.Server;
  let url: string;
  let fetcher: SubgraphFetcher;
  const sockets = new Set<unknown>();
  const received: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      sockets.add(request.socket);
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ method: request.method, headers: request.headers, body });
        if (request.url === '/silent') return;
        if (request.url === '/cut') {
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          response.write('{"data":');
          setTimeout(() => request.socket.destroy(), 20);
          return;
        }
        if (request.url === '/down') {
          response.writeHead(503, 'Service Unavailable', { 'content-type': 'text/plain' }).end('try later');
          return;
        }
        response.setHeader('set-cookie', ['a=1', 'b=2']);
        response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'private, max-age=0' });
        response.end(JSON.stringify({ data: { echo: JSON.parse(body || 'null') } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    fetcher = createSubgraphFetcher({ timeoutMs: 2_000 });
    received.length = 0;
    sockets.clear();
  });

  afterEach(() => fetcher.dispose());
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, headers and body, and reads status, headers and JSON', async () => {
    const response = await fetcher.fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gateway-identity': 'token' },
      body: JSON.stringify({ query: '{ a }' }),
    });
    expect(received[0]).toMatchObject({ method: 'POST', body: '{"query":"{ a }"}' });
    expect(received[0].headers['x-gateway-identity']).toBe('token');
    expect(response).toMatchObject({ ok: true, status: 200, url: `${url}/graphql`, bodyUsed: false });
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(response.headers.get('x-missing')).toBeNull();
    expect(await response.json()).toEqual({ data: { echo: { query: '{ a }' } } });
    expect(response.bodyUsed).toBe(true);
  });

  it('reports a non-2xx answer as not ok, with its status text and body', async () => {
    const response = await fetcher.fetch(`${url}/down`, { method: 'POST', body: '{}' });
    expect(response).toMatchObject({ ok: false, status: 503, statusText: 'Service Unavailable' });
    expect(await response.clone().text()).toBe('try later');
    expect(await response.text()).toBe('try later');
  });

  it('reuses one connection for requests one after the other', async () => {
    for (let i = 0; i < 5; i += 1) await (await fetcher.fetch(`${url}/graphql`, { method: 'POST', body: String(i) })).json();
    expect(received).toHaveLength(5);
    expect(sockets.size).toBe(1);
  });

  it('gives up on a subgraph that does not answer within the deadline, as an outage', async () => {
    const quick = createSubgraphFetcher({ timeoutMs: 150 });
    try {
      await expect(quick.fetch(`${url}/silent`, { method: 'POST', body: '{}' })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    } finally {
      quick.dispose();
    }
  });

  it('rejects an answer cut off mid-body rather than returning part of it', async () => {
    await expect(fetcher.fetch(`${url}/cut`, { method: 'POST', body: '{}' })).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('rejects with the connection error code when the subgraph is not listening', async () => {
    const port = await freePort();
    await expect(fetcher.fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', body: '{}' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
