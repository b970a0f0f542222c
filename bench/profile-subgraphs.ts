import path from 'node:path';
import { buildCheckout } from './build';
import { profileWhile, runMain, saveProfile } from './cpu-profile';
import { startGatewayProcess } from './gateways';
import type { LoadJob } from './load';
import { loadInProcess as load } from './load-process';
import { dashboardBody } from './scenarios';
import { startBenchStack } from './stack';
import { BENCH_OWNER, benchUserToken } from './users';

/**
 * `npm run bench:profile-subgraphs [-- --seconds=20 --connections=20 --no-profile --gateway-flags="--cpu-prof"]`:
 * the bench's subgraphs in this process and our gateway, built, in its own, then the dashboard's `EventMonetization`
 * under load; prints this process's CPU per request and, unless `--no-profile`, writes a CPU profile
 * of this process taken during the load only (not the seeding) to bench/results/profiles/ and prints
 * its top functions by self time. Same env as `npm run bench` (DATABASE_URL, REDIS_URL).
 */
const args = process.argv.slice(2);
const numberArg = (name: string, fallback: number) => Number(args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const seconds = numberArg('seconds', 15);
const connections = numberArg('connections', 20);
const profile = !args.includes('--no-profile');
const root = path.resolve(__dirname, '..');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

/** Top functions by self time, and by package (node_modules/<name>) self time. */
function summarizeProfile(nodes: ProfileNode[]): string {
  const total = nodes.reduce((sum, node) => sum + node.hitCount, 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(root, '.');
    const key = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.hitCount);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? (file.startsWith('node:') || !file ? functionName.startsWith('(') ? functionName : 'node internals' : file.startsWith('.') ? 'ours' : 'other');
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + node.hitCount);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)} %  ${key}`)
      .join('\n');
  return `by package (self time):\n${top(byPackage, 25)}\n\nby function (self time):\n${top(byFunction, 40)}`;
}

async function main(): Promise<void> {
  const stack = await startBenchStack();
  const gatewayFlags = args.find((arg) => arg.startsWith('--gateway-flags='))?.slice(16).split(' ').filter(Boolean);
  // As `npm run bench` runs it: built, on plain Node.
  await buildCheckout(root);
  const gateway = await startGatewayProcess({ execArgv: gatewayFlags, kind: 'ours', compiled: true, subgraphUrls: stack.subgraphUrls, identity: BENCH_OWNER });
  const token = await benchUserToken(BENCH_OWNER.userId);
  const job = (durationSeconds: number): LoadJob => ({
    mode: 'autocannon',
    url: gateway.url,
    bodies: [dashboardBody()],
    headers: [{ authorization: `Bearer ${token}` }],
    connections,
    durationSeconds,
  });
  try {
    if (args.includes('--sql')) {
      // One request's statements, in order, to see what the dashboard asks of the database.
      const knex = stack.runtime.orm.em.getConnection().getKnex() as unknown as { on(event: string, fn: (query: { sql: string }) => void): void };
      const statements: string[] = [];
      knex.on('query', (query) => statements.push(query.sql));
      const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: dashboardBody() });
      const answer = (await response.json()) as { data?: { event?: { offers?: unknown[]; ads?: unknown[] } }; errors?: unknown[] };
      console.log(`offers ${answer.data?.event?.offers?.length}, ads ${answer.data?.event?.ads?.length}, errors ${JSON.stringify(answer.errors ?? [])}`);
      console.log(`status ${response.status}, ${statements.length} statements:\n${statements.join('\n')}`);
      return;
    }
    await load(job(3));
    const measured = async () => {
      const cpuBefore = process.cpuUsage();
      const result = await load(job(seconds));
      const cpu = process.cpuUsage(cpuBefore);
      return { result, cpuMs: (cpu.user + cpu.system) / 1000 };
    };
    const { result, cpuMs, cpuProfile } = profile
      ? await profileWhile(500, measured).then(({ result: run, profile: taken }) => ({ ...run, cpuProfile: taken }))
      : { ...(await measured()), cpuProfile: undefined };
    console.log(
      `requests ${result.requests}, ${result.requestsPerSecond.toFixed(1)}/s, p50 ${result.latencyMs.p50.toFixed(0)} ms, failures ${result.non2xx + result.errors + result.graphqlErrors}` +
        `${result.firstFailure ? ` (${result.firstFailure})` : ''}; subgraph CPU ${(cpuMs / Math.max(1, result.requests)).toFixed(2)} ms/request${profile ? ' (profiled)' : ''}; gateway peak ${gateway.peakRssMb().toFixed(0)} MB, subgraphs peak ${stack.peakRssMb().toFixed(0)} MB`,
    );
    if (cpuProfile) console.log(`profile: ${saveProfile('subgraphs', cpuProfile)}\n\n${summarizeProfile(cpuProfile.nodes as ProfileNode[])}`);
  } finally {
    await gateway.stop();
    await stack.close();
  }
}

runMain(main);
