import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { GATEWAY_IDENTITY_HEADER, signGatewayIdentity } from '../kernel/auth/identity';
import { GATEWAY_LABELS, startGatewayProcess, type GatewayKind, type GatewayProcess } from './gateways';
import type { LoadJob, LoadResult } from './load';
import { loadInProcess as load } from './load-process';
import { buildCheckout } from './build';
import { checkoutRef, type Checkout } from './checkout';
import { rounds, type Row, type ScenarioResult } from './rounds';
import { subscriptionFanOut } from './scenario-subscriptions';
import { BENCH_SUBGRAPH_SECRET, buyerId, DASHBOARD_CATALOG, FANOUT_SIZES, fanoutEventId, FLASH_BUYERS, HISTORY_EVENT, HISTORY_SIZES, startBenchStack, type SubgraphHost } from './stack';
import { startSubgraphProcess, type SubgraphProcess } from './before-subgraphs';
import { startFloorServer } from './floor';
import { adsBody, dashboardBody, fanoutBody, planCacheBodies, purchaseBody } from './scenarios';
import { renderReport, writeReport } from './report';
import { summarize } from './stats';
import { BENCH_OWNER, benchUserToken } from './users';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((arg) => arg.startsWith('--only='))?.slice(7).split(',');
/** `--profile`: our gateway runs with --cpu-prof; the profile lands in bench/results/profiles/ when it stops. */
const profile = args.includes('--profile');
const gatewayArg = args.find((arg) => arg.startsWith('--gateways='))?.slice(11).split(',') as GatewayKind[] | undefined;
/** `--before=<git ref>`: also runs our gateway as of that commit (`ours-before`), for a before/after pair in one run. */
const beforeRef = args.find((arg) => arg.startsWith('--before='))?.slice(9);
/** `--render`: rewrites the Markdown table and the chart from the last JSON results, running nothing. */
const renderOnly = args.includes('--render');
/** `--subscribers=1000,5000/1000`: sockets of the subscription scenario, `/organizers` (100 by default) they belong to. */
/** `--history=10000,1000000` sets the history scenario's fact counts; `--history-max=N` drops those above N. */
const historyArg = args.find((arg) => arg.startsWith('--history='))?.slice(10).split(',').map(Number);
const historyMax = Number(args.find((arg) => arg.startsWith('--history-max='))?.slice(14) ?? Infinity);
const subscriberSizes = args
  .find((arg) => arg.startsWith('--subscribers='))
  ?.slice(14)
  .split(',')
  .map((size) => {
    const [subscribers, organizers = '100'] = size.split('/');
    return { subscribers: Number(subscribers), organizers: Number(organizers) };
  });

const settings = quick
  ? { rounds: 2, seconds: 2, history: [10_000, 1_000_000], planCacheRounds: 2, warmupSeconds: 1, shapes: 100, flashStock: 50, connections: 20, subscribers: [{ subscribers: 1000, organizers: 100 }], burstSize: 20 }
  : { rounds: 5, seconds: 4, history: [...HISTORY_SIZES], planCacheRounds: 5, warmupSeconds: 3, shapes: 500, flashStock: 50, connections: 20, subscribers: [{ subscribers: 1000, organizers: 100 }, { subscribers: 5000, organizers: 100 }, { subscribers: 1000, organizers: 1000 }], burstSize: 20 };

// On a loaded machine a dashboard request can outlast a 2 s round: `--seconds=` and `--rounds=` lengthen them.
const secondsArg = Number(args.find((arg) => arg.startsWith('--seconds='))?.slice(10));
const roundsArg = Number(args.find((arg) => arg.startsWith('--rounds='))?.slice(9));
if (secondsArg > 0) settings.seconds = secondsArg;
if (roundsArg > 0) settings.rounds = roundsArg;

const root = path.resolve(__dirname, '..');

/** Whether two targets answer `body` with the same JSON (the floor must give the dashboard's answer). */
async function sameJson(a: string, b: string, body: string, headers: Record<string, string>): Promise<string> {
  const ask = async (url: string) =>
    (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).json();
  const [left, right] = [await ask(a), await ask(b)];
  return isDeepStrictEqual(left, right) ? 'yes' : `NO (floor ${JSON.stringify(left).slice(0, 200)} vs ${JSON.stringify(right).slice(0, 200)})`;
}

interface Sample {
  load: LoadResult;
  cpuMsPerRequest: number;
  subgraphCpuMsPerRequest: number;
  sqlPerRequest: number;
  sqlMsPerRequest: number;
  redisPerRequest: number;
}

/**
 * One measured load run against one target: the gateway's CPU, and the CPU, SQL (statements and
 * their time) and Redis traffic of the subgraphs the target uses (`host`).
 */
async function measure(host: SubgraphHost, cpuOf: (() => number) | undefined, job: LoadJob): Promise<Sample> {
  const cpuBefore = cpuOf?.() ?? 0;
  const subgraphCpuBefore = host.cpuMs();
  const traffic = await host.traffic(() => load(job));
  const subgraphCpuMs = host.cpuMs() - subgraphCpuBefore;
  const result = traffic.result;
  const requests = Math.max(1, result.requests);
  return {
    load: result,
    cpuMsPerRequest: cpuOf ? (cpuOf() - cpuBefore) / requests : NaN,
    subgraphCpuMsPerRequest: subgraphCpuMs / requests,
    sqlPerRequest: traffic.statements / requests,
    sqlMsPerRequest: traffic.sqlMs / requests,
    redisPerRequest: traffic.redisCommands / requests,
  };
}

function rowOf(samples: Sample[], extra: Row = {}): Row {
  const failures = samples.reduce((total, s) => total + s.load.non2xx + s.load.errors + s.load.graphqlErrors, 0);
  return {
    rps: summarize(samples.map((s) => s.load.requestsPerSecond)),
    p50: summarize(samples.map((s) => s.load.latencyMs.p50)),
    p95: summarize(samples.map((s) => s.load.latencyMs.p95)),
    p99: summarize(samples.map((s) => s.load.latencyMs.p99)),
    cpuMsPerRequest: summarize(samples.map((s) => s.cpuMsPerRequest)),
    subgraphCpuMsPerRequest: summarize(samples.map((s) => s.subgraphCpuMsPerRequest)),
    sqlPerRequest: summarize(samples.map((s) => s.sqlPerRequest)),
    sqlMsPerRequest: summarize(samples.map((s) => s.sqlMsPerRequest)),
    redisPerRequest: summarize(samples.map((s) => s.redisPerRequest)),
    failures,
    firstFailure: samples.map((s) => s.load.firstFailure).find(Boolean) ?? '',
    ...extra,
  };
}

async function main(): Promise<void> {
  if (renderOnly) {
    console.log(renderReport(path.join(root, 'bench/results'), quick ? 'latest-quick' : 'latest'));
    return;
  }
  const started = Date.now();
  const wanted = (id: string) => !only || only.includes(id) || (id === '7' && only.includes('history'));
  console.log(`bench: ${quick ? 'quick' : 'full'} mode, ${settings.rounds} rounds; starting subgraphs and seeding…`);
  const stack = await startBenchStack();
  const kinds: GatewayKind[] = [...(gatewayArg ?? ['ours', 'hive', 'hive-rust'])];
  const labels: Record<string, string> = { ...GATEWAY_LABELS };
  const gateways = {} as Record<GatewayKind, GatewayProcess>;
  let before: Checkout | undefined;
  let beforeSubgraphs: SubgraphProcess | undefined;
  let oursSubgraphs: SubgraphProcess | undefined;
  // Stopping the bench (Ctrl-C, a timeout, a gateway that fails to start) stops what it started
  // and removes the --before checkout.
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const gateway of Object.values(gateways)) await gateway.stop();
      await beforeSubgraphs?.stop();
      await oursSubgraphs?.stop();
      await stack.close();
      await before?.remove();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }
  const results: ScenarioResult[] = [];

  try {
    // Our gateway (and, with --before, our subgraphs' host) runs compiled, as production runs it.
    if (kinds.includes('ours')) await buildCheckout(root);
    if (beforeRef) {
      before = await checkoutRef(root, beforeRef);
      await buildCheckout(before.dir);
      kinds.splice(1, 0, 'ours-before');
      labels['ours-before'] = `ours before (${before.commit})`;
      // The before commit's gateway on the before commit's subgraphs (a process of their own), so the
      // pair compares subgraph changes too; every other gateway uses this commit's subgraphs.
      beforeSubgraphs = await startSubgraphProcess(before.dir, { compiled: true });
      console.log(`bench: ours-before runs ${before.commit} "${before.subject}" from ${before.dir}, gateway and subgraphs`);
    }
    // With --before, ours gets a host process like before's (same setup, so the two hosts' CPU and
    // peak memory compare), unless scenario 5 runs: its triggers go through the runner's bus.
    if (before && !wanted('5')) {
      oursSubgraphs = await startSubgraphProcess(root, { compiled: true });
      console.log('bench: ours runs its subgraphs in a host process of their own too (bench/subgraph-host.ts), like ours-before');
    }
    const hostOf = (kind: GatewayKind): SubgraphHost => (kind === 'ours-before' && beforeSubgraphs) || (kind === 'ours' && oursSubgraphs) || stack;
    for (const kind of kinds) {
      const execArgv = profile && kind === 'ours' ? ['--cpu-prof', `--cpu-prof-dir=${path.join(root, 'bench/results/profiles')}`] : [];
      const checkout = kind === 'ours-before' ? before?.dir : undefined;
      const compiled = kind === 'ours' || kind === 'ours-before';
      gateways[kind] = await startGatewayProcess({ kind, subgraphUrls: hostOf(kind).subgraphUrls, identity: BENCH_OWNER, execArgv, checkout, compiled });
    }
    const ownerAuth = { authorization: `Bearer ${await benchUserToken('u-owner')}` };
    const cpu = (kind: GatewayKind) => () => gateways[kind].cpuMs();
    const autocannonJob = (url: string, bodies: string[], headers: Record<string, string>[], seconds = settings.seconds, connections = settings.connections): LoadJob => ({
      mode: 'autocannon',
      url,
      bodies,
      headers,
      connections,
      durationSeconds: seconds,
    });

    if (wanted('1')) {
      console.log('1. dashboard EventMonetization…');
      const body = dashboardBody();
      const floor = await startFloorServer(process.env.DATABASE_URL!, stack.config.database.poolMax, 'u-owner');
      try {
        const sameAnswer = await sameJson(floor.url, gateways.ours?.url ?? gateways[kinds[0]].url, body, ownerAuth);
        // The floor's statements are its own (plain pg), not the ORM's: counted by the floor itself.
        const floorHost: SubgraphHost = {
          ...stack,
          traffic: async (fn) => {
            const [statements, sqlMs] = [floor.statements(), floor.sqlMs()];
            const traffic = await stack.traffic(fn);
            return { ...traffic, statements: floor.statements() - statements, sqlMs: floor.sqlMs() - sqlMs };
          },
        };
        const targets = [...kinds, 'floor' as const];
        const urlOf = (target: (typeof targets)[number]) => (target === 'floor' ? floor.url : gateways[target].url);
        const samples = await rounds(
          targets,
          settings.rounds,
          (target) =>
            target === 'floor'
              ? measure(floorHost, undefined, autocannonJob(floor.url, [body], [ownerAuth]))
              : measure(hostOf(target), cpu(target), autocannonJob(urlOf(target), [body], [ownerAuth])),
          (target) => load(autocannonJob(urlOf(target), [body], [ownerAuth], settings.warmupSeconds)),
        );
        results.push({
          id: '1',
          title: 'Dashboard EventMonetization (4 subgraphs)',
          measures: `${settings.connections} connections, ${settings.seconds} s per round; ev-private with ${DASHBOARD_CATALOG} offers and ${DASHBOARD_CATALOG} ads`,
          rows: Object.fromEntries(
            targets.map((target) => [
              target,
              rowOf(samples[target], {
                peakRssMb: target === 'floor' ? '' : gateways[target].peakRssMb(),
                subgraphPeakRssMb: target === 'floor' ? '' : hostOf(target).peakRssMb(),
              }),
            ]),
          ),
          notes: [
            `floor: the same answer from the statements it needs through plain \`pg\` and \`JSON.stringify\`, in the runner's process${oursSubgraphs ? '' : ' (which also runs our subgraphs)'} (no gateway, no GraphQL, no ORM, no JWT); ` +
              `its subgraphCpuMsPerRequest is that process's CPU; ours ÷ floor there is our subgraphs' CPU over the floor's. Same answer as ours: ${sameAnswer}`,
            oursSubgraphs
              ? 'subgraphPeakRssMb: the process hosting the subgraphs; ours and ours-before each have a host process of their own (bench/subgraph-host.ts), which does nothing else, so the two compare; both, and both gateways, run built by `npm run build` of their commit, on plain Node, as production runs them (bench/build.ts)'
              : 'subgraphPeakRssMb: the process hosting the subgraphs; for every target but ours-before that is the runner, which also seeds and loads, so read it for ours-before vs ours only when both host processes do the same',
          ],
        });
      } finally {
        await floor.close();
      }
    }

    if (wanted('2')) {
      console.log(`2. plan cache, ${settings.shapes} shapes…`);
      const passes = {} as Record<GatewayKind, { first: number[]; second: number[]; failures: number }>;
      for (const kind of kinds) passes[kind] = { first: [], second: [], failures: 0 };
      for (let round = 0; round < settings.planCacheRounds; round += 1) {
        for (let i = 0; i < kinds.length; i += 1) {
          const kind = kinds[(i + round) % kinds.length];
          const bodies = planCacheBodies(round, settings.shapes);
          const job: LoadJob = { mode: 'sequence', url: gateways[kind].url, bodies, headers: [ownerAuth] };
          const first = await load(job);
          const second = await load(job);
          passes[kind].first.push(first.latencyMs.mean);
          passes[kind].second.push(second.latencyMs.mean);
          passes[kind].failures += first.graphqlErrors + first.non2xx + second.graphqlErrors + second.non2xx;
        }
      }
      results.push({
        id: '2',
        title: 'Plan cache: distinct operation shapes, first vs second pass',
        measures: `${settings.shapes} shapes never seen before per round, sent one at a time, ${settings.planCacheRounds} round(s); mean latency per request`,
        rows: Object.fromEntries(
          kinds.map((kind) => [
            kind,
            {
              firstPassMeanMs: summarize(passes[kind].first),
              secondPassMeanMs: summarize(passes[kind].second),
              failures: passes[kind].failures,
            },
          ]),
        ),
        notes: [],
      });
    }

    if (wanted('3')) {
      for (const size of FANOUT_SIZES) {
        console.log(`3. fan-out, ${size} offers…`);
        const body = fanoutBody(fanoutEventId(size));
        // A fixed number of requests per round (not a duration): a 1000-offer response can take
        // longer than a short window, and SQL per request is exact only when every request completes.
        const amount = { 10: 300, 100: 60, 1000: 10 }[size] ?? 10;
        const connections = Math.min(10, amount);
        const job = (url: string, n: number): LoadJob => ({ mode: 'autocannon', url, bodies: [body], headers: [ownerAuth], connections, amount: n });
        const samples = await rounds(
          kinds,
          settings.rounds,
          (kind) => measure(hostOf(kind), cpu(kind), job(gateways[kind].url, amount)),
          (kind) => load(job(gateways[kind].url, connections)),
        );
        results.push({
          id: `3-${size}`,
          title: `Fan-out: event { offers } with ${size} offers`,
          measures: `${connections} connections, ${amount} requests per round; event and offers both come from the offers subgraph (one subgraph fetch whose result grows)`,
          rows: Object.fromEntries(kinds.map((kind) => [kind, rowOf(samples[kind])])),
          notes: [],
        });
      }
    }

    if (wanted('4')) {
      console.log(`4. flash sale, ${FLASH_BUYERS} buyers, stock ${settings.flashStock}…`);
      const buyers = Array.from({ length: FLASH_BUYERS }, (_, i) => buyerId(i));
      const tokens = await Promise.all(buyers.map((id) => benchUserToken(id)));
      const targets = [...kinds, 'direct'] as const;
      type Target = (typeof targets)[number];
      const checks: Record<string, string[]> = {};
      const samples = await rounds<Target, Sample>([...targets], settings.rounds, async (target) => {
        const offerId = await stack.addFlashOffer(settings.flashStock);
        // Fresh gateway-signed identities (they live 60 s): Hive forwards them, the direct run sends them.
        const identities = await Promise.all(
          buyers.map((id) => signGatewayIdentity({ userId: id, email: `${id}@example.com`, name: id }, BENCH_SUBGRAPH_SECRET)),
        );
        const headers = buyers.map((_, i): Record<string, string> =>
          target === 'direct'
            ? { [GATEWAY_IDENTITY_HEADER]: identities[i] }
            : { authorization: `Bearer ${tokens[i]}`, 'x-bench-identity': identities[i] },
        );
        const url = target === 'direct' ? stack.subgraphUrls.offers : gateways[target].url;
        const job: LoadJob = { mode: 'autocannon', url, bodies: [purchaseBody(offerId)], headers, connections: FLASH_BUYERS, amount: FLASH_BUYERS };
        const sample = await measure(target === 'direct' ? stack : hostOf(target), target === 'direct' ? undefined : cpu(target), job);
        const sold = await stack.soldOf(offerId);
        (checks[target] ??= []).push(`${sold.sold}/${settings.flashStock}${sold.purchases === sold.sold ? '' : ` (purchases ${sold.purchases})`}`);
        if (sold.sold !== settings.flashStock || sold.purchases !== settings.flashStock) {
          console.error(`flash sale through ${target}: sold ${sold.sold}, completed purchases ${sold.purchases}, stock ${settings.flashStock}`);
        }
        // Refusals (sold out) are expected GraphQL errors here: count them, they are not failures.
        return sample;
      });
      results.push({
        id: '4',
        title: `Flash sale: ${FLASH_BUYERS} concurrent buyers, stock ${settings.flashStock}`,
        measures: `${FLASH_BUYERS} connections, one purchase request per buyer; requests/s over the whole burst`,
        rows: Object.fromEntries(
          targets.map((target) => [
            target,
            {
              rps: summarize(samples[target].map((s) => s.load.requestsPerSecond)),
              burstMs: summarize(samples[target].map((s) => s.load.durationMs)),
              purchasesPerSecond: summarize(samples[target].map((s) => settings.flashStock / (s.load.durationMs / 1000))),
              subgraphCpuMsPerRequest: summarize(samples[target].map((s) => s.subgraphCpuMsPerRequest)),
              p99: summarize(samples[target].map((s) => s.load.latencyMs.p99)),
              sqlPerRequest: summarize(samples[target].map((s) => s.sqlPerRequest)),
              refusedOrFailed: samples[target].reduce((t, s) => t + s.load.graphqlErrors + s.load.non2xx + s.load.errors, 0),
              soldOverStock: checks[target].join(', '),
            },
          ]),
        ),
        notes: ['sold/stock per round must be exactly stock/stock; every other buyer gets a sold-out refusal (counted under refusedOrFailed)'],
      });
    }

    if (wanted('5')) {
      const dashboard = results.find((result) => result.id === '1')?.rows.ours?.rps;
      results.push(
        ...(await subscriptionFanOut({
          stack,
          gateways,
          // The change measured with --before is on the HTTP path; subscriptions are the same code.
          targets: kinds.filter((kind) => kind !== 'ours-before'),
          sizes: subscriberSizes ?? settings.subscribers,
          rounds: settings.rounds,
          burstSize: settings.burstSize,
          windowMs: stack.config.subscriptions.windowMs,
          run: (job) => load(job),
          userToken: benchUserToken,
          dashboardRps: typeof dashboard === 'object' ? dashboard.median : undefined,
        })),
      );
    }

    if (wanted('6')) {
      console.log('6. ad serving with frequency caps…');
      const viewers = Array.from({ length: 50 }, (_, i) => buyerId(i));
      const headers = await Promise.all(viewers.map(async (id) => ({ authorization: `Bearer ${await benchUserToken(id)}` })));
      const body = adsBody();
      const samples = await rounds(
        kinds,
        settings.rounds,
        (kind) => measure(hostOf(kind), cpu(kind), autocannonJob(gateways[kind].url, [body], headers)),
        (kind) => load(autocannonJob(gateways[kind].url, [body], headers, 1)),
      );
      results.push({
        id: '6',
        title: 'Ad serving: adsForContext with frequency caps',
        measures: `${settings.connections} connections, ${settings.seconds} s per round, 50 signed-in viewers in turn, limit 3 of ${DASHBOARD_CATALOG} capped ads`,
        rows: Object.fromEntries(kinds.map((kind) => [kind, rowOf(samples[kind])])),
        notes: ['Hive Gateway forwards the static bench identity, so all its requests count against one viewer\'s caps'],
      });
    }

    if (wanted('7')) {
      const sizes = (historyArg ?? settings.history).filter((size) => size <= historyMax);
      const targets = kinds.filter((kind) => kind === 'ours' || kind === 'ours-before');
      const body = dashboardBody(HISTORY_EVENT);
      // A fixed number of requests: raw-fact aggregation (before rollups) can take seconds per request.
      const job = (url: string, amount: number): LoadJob => ({ mode: 'autocannon', url, bodies: [body], headers: [ownerAuth], connections: 4, amount });
      for (const size of sizes) {
        console.log(`7. history, ${size} facts…`);
        const loadSeconds = await stack.loadHistory(size);
        const samples = await rounds(
          targets,
          settings.rounds,
          (kind) => measure(hostOf(kind), cpu(kind), job(gateways[kind].url, 20)),
          (kind) => load(job(gateways[kind].url, 4)),
        );
        results.push({
          id: `7-${size}`,
          title: `History: the dashboard on an event with ${size.toLocaleString('en')} monetization facts`,
          measures: `4 connections, 20 requests per round; ${HISTORY_EVENT} with ${DASHBOARD_CATALOG} offers and ${DASHBOARD_CATALOG} ads, facts over every day of 2026 bulk-loaded with generate_series (${Math.round(loadSeconds)} s, rollups rebuilt), the period is all of 2026`,
          rows: Object.fromEntries(targets.map((kind) => [kind, rowOf(samples[kind])])),
          notes: ['sqlMsPerRequest: the time of the subgraphs\' SQL statements per request, from sending to the response'],
        });
      }
    }
  } finally {
    await cleanUp();
  }

  const report = {
    startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    mode: quick ? 'quick' : 'full',
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    gateways: {
      ...Object.fromEntries(kinds.map((kind) => [kind, labels[kind]])),
      ...(results.some((result) => result.id === '1') ? { floor: 'floor (plain pg + JSON.stringify)' } : {}),
    },
    ...(before ? { before: { ref: beforeRef, commit: before.commit, subject: before.subject } } : {}),
    settings,
    scenarios: results,
  };
  const stem = quick ? 'latest-quick' : 'latest';
  const table = writeReport(path.join(root, 'bench/results'), stem, report);
  console.log(`\n${table}`);
  console.log(`bench: done in ${report.durationSeconds} s; results in bench/results/${stem}.{json,svg,md}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
