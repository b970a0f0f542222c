import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { GATEWAY_IDENTITY_HEADER, signGatewayIdentity } from '../kernel/auth/identity';
import { startSubgraphProcess } from './before-subgraphs';
import { buildCheckout } from './build';
import { runMain } from './cpu-profile';
import { startGatewayProcess } from './gateways';
import { loadInProcess } from './load-process';
import { cpuMsOf } from './proc';
import { dashboardBody } from './scenarios';
import { BENCH_SUBGRAPH_SECRET, startBenchStack } from './stack';
import { summarize } from './stats';
import { BENCH_OWNER, benchUserToken } from './users';

/**
 * `npm run bench:subgraph-requests [-- --rounds=3 --seconds=4]`: our subgraphs' CPU per request, request
 * by request, as deployed (issue 19). The subgraphs run built, in a host process of their own
 * (bench/subgraph-host.ts); the requests one `EventMonetization` makes through our gateway are
 * recorded on their way, then each is sent again straight to the host (20 connections, `--seconds`
 * per round, fresh access grants each time) and the host's CPU per request is read from /proc.
 * Two references beside them: `{ __typename }` with the gateway's proof (what a subgraph request
 * costs before any field of ours resolves), and a bare Node HTTP server answering the same JSON.
 * Same env as `npm run bench` (DATABASE_URL, REDIS_URL).
 */
const args = process.argv.slice(2);
const numberArg = (name: string, fallback: number) => Number(args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const rounds = numberArg('rounds', 3);
const seconds = numberArg('seconds', 4);
const root = path.resolve(__dirname, '..');

interface SubgraphRequest {
  subgraph: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A proxy per subgraph that forwards the gateway's requests and remembers them. */
async function recordingProxies(subgraphUrls: Record<string, string>) {
  let recorded: SubgraphRequest[] = [];
  const servers: http.Server[] = [];
  const urls: Record<string, string> = {};
  for (const [subgraph, url] of Object.entries(subgraphUrls)) {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
        }
        const request = { subgraph, url, headers, body: Buffer.concat(chunks).toString('utf8') };
        recorded.push(request);
        const answer = await fetch(url, { method: 'POST', headers, body: request.body });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(await answer.text());
      });
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls[subgraph] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }
  return {
    urls,
    take: () => {
      const taken = recorded;
      recorded = [];
      return taken;
    },
    close: () => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))),
  };
}

/** A Node HTTP server that reads the JSON body and answers `{ __typename }`'s JSON, nothing else. */
async function startBareServer() {
  const child = fork(path.join(__dirname, 'bare-http-server.cjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve) => child.once('message', (message: { url: string }) => resolve(message.url)));
  return { url, pid: child.pid!, stop: () => child.kill() };
}

async function main(): Promise<void> {
  const stack = await startBenchStack();
  await buildCheckout(root);
  const host = await startSubgraphProcess(root, { compiled: true });
  const proxies = await recordingProxies(host.subgraphUrls);
  const gateway = await startGatewayProcess({ kind: 'ours', compiled: true, subgraphUrls: proxies.urls, identity: BENCH_OWNER });
  const bare = await startBareServer();
  const token = await benchUserToken(BENCH_OWNER.userId);
  // A new connection each time: the gateway may have closed an idle one while the load ran.
  const dashboard = async (): Promise<SubgraphRequest[]> => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, connection: 'close' },
      body: dashboardBody(),
    });
    const answer = (await response.json()) as { errors?: unknown[] };
    if (answer.errors) throw new Error(`the dashboard failed: ${JSON.stringify(answer.errors)}`);
    return proxies.take();
  };
  // Signed again each round: a proof lasts 60 s, less than a whole run.
  const typename = async () => ({
    headers: { 'content-type': 'application/json', [GATEWAY_IDENTITY_HEADER]: await signGatewayIdentity(BENCH_OWNER, BENCH_SUBGRAPH_SECRET) },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  const cpuPerRequest = async (cpuMs: () => number, url: string, request: { headers: Record<string, string>; body: string }) => {
    const cpuBefore = cpuMs();
    const result = await loadInProcess({ mode: 'autocannon', url, bodies: [request.body], headers: [request.headers], connections: 20, durationSeconds: seconds });
    if (result.non2xx > 0) throw new Error(`${result.non2xx} answers to ${url} were not 2xx`);
    return (cpuMs() - cpuBefore) / result.requests;
  };
  const samples = new Map<string, number[]>();
  const sample = (name: string, value: number) => samples.set(name, [...(samples.get(name) ?? []), value]);
  try {
    const names = (await dashboard()).map((request) => request.subgraph);
    console.log(`one dashboard: ${names.length} subgraph requests (${names.join(', ')}); ${rounds} rounds of ${seconds} s each, 20 connections`);
    for (let round = 0; round < rounds; round++) {
      for (const name of names) {
        // Recorded again just before it is sent: an access grant lasts seconds.
        const request = (await dashboard()).find((recorded) => recorded.subgraph === name)!;
        sample(`${name} (dashboard)`, await cpuPerRequest(host.cpuMs, request.url, request));
      }
      sample('{ __typename }', await cpuPerRequest(host.cpuMs, host.subgraphUrls.analytics, await typename()));
      sample('bare Node HTTP', await cpuPerRequest(() => cpuMsOf(bare.pid), bare.url, await typename()));
    }
    for (const [name, values] of samples) {
      const { median, min } = summarize(values);
      console.log(`${name.padEnd(22)} median ${median.toFixed(3)} ms, min ${min.toFixed(3)} ms CPU per request`);
    }
  } finally {
    bare.stop();
    await gateway.stop();
    await proxies.close();
    await host.stop();
    await stack.close();
  }
}

runMain(main);
