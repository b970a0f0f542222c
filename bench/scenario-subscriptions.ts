import { GATEWAY_IDENTITY_HEADER, signGatewayIdentity } from '../kernel/auth/identity';
import { onSqlStatement } from '../kernel/db/orm';
import type { GatewayKind, GatewayProcess } from './gateways';
import { rounds, type ScenarioResult } from './rounds';
import { joinWaitlistBody, leaveWaitlistBody, waitlistUpdatesOperation } from './scenarios';
import { BENCH_SUBGRAPH_SECRET, buyerId, FLASH_BUYERS, ORGANIZERS, organizerId, WATCHED_SESSION, type BenchStack } from './stack';
import { summarize } from './stats';
import { send, type HttpRequest, type SubscriptionJob, type SubscriptionLoadResult } from './subscription-load';

export interface SubscriptionScenarioOptions {
  stack: BenchStack;
  gateways: Partial<Record<GatewayKind, GatewayProcess>>;
  targets: GatewayKind[];
  /** Sockets, and the distinct organizers they belong to (sockets ÷ organizers screens each). */
  sizes: { subscribers: number; organizers: number }[];
  rounds: number;
  /** Mutations per burst. */
  burstSize: number;
  windowMs: number;
  run(job: SubscriptionJob): Promise<SubscriptionLoadResult>;
  userToken(userId: string): Promise<string>;
  /** Requests/s of the dashboard query measured in this run (scenario 1), to price the refetch model. */
  dashboardRps?: number;
}

interface Sample {
  result: SubscriptionLoadResult;
  gatewayCpuMs: number;
  subgraphCpuMs: number;
  /** The subgraphs' SQL statements from the first subscribe to the last snapshot (snapshot reads and access checks). */
  subscribeSql: number;
}

const PROBE_BUYER = FLASH_BUYERS - 1;
const PROBES = 10;

/**
 * Scenario 5: graphql-ws subscribers of one session's `waitlistUpdated` through each gateway,
 * then bursts of waitlist changes. Subscribers are organizers of the event (the subscription is
 * theirs alone), each with one or several screens open. The bursts'
 * mutations go straight to the waitlist subgraph, so every gateway gets the same trigger and only
 * the delivery is measured.
 */
export async function subscriptionFanOut(options: SubscriptionScenarioOptions): Promise<ScenarioResult[]> {
  const { stack, gateways } = options;
  const { query, operationName } = waitlistUpdatesOperation();
  const waitlistUrl = stack.subgraphUrls.waitlist;
  const asBuyer = async (index: number, body: string): Promise<HttpRequest> => ({
    url: waitlistUrl,
    body,
    headers: { [GATEWAY_IDENTITY_HEADER]: await signGatewayIdentity({ userId: buyerId(index), email: `${buyerId(index)}@example.com` }, BENCH_SUBGRAPH_SECRET) },
  });
  const buyers = Array.from({ length: options.burstSize }, (_, i) => i);

  const results: ScenarioResult[] = [];
  for (const { subscribers: size, organizers: organizerCount } of options.sizes) {
    console.log(`5. subscription fan-out, ${size} subscribers of ${organizerCount} organizers…`);
    if (organizerCount > ORGANIZERS || organizerCount > size) throw new Error(`${organizerCount} organizers for ${size} sockets: at most ${ORGANIZERS}, and no more than the sockets`);
    const organizers = Array.from({ length: organizerCount }, (_, i) => organizerId(i));
    const tokens = await Promise.all(organizers.map((id) => options.userToken(id)));
    const samples = await rounds(options.targets, options.rounds, async (kind) => {
      // Identity tokens live 60 s: signed afresh for every round.
      const connectionParams = await Promise.all(
        organizers.map(async (id, i) => ({
          authorization: `Bearer ${tokens[i]}`,
          'x-bench-identity': await signGatewayIdentity({ userId: id, email: `${id}@example.com` }, BENCH_SUBGRAPH_SECRET),
        })),
      );
      const probes = await Promise.all(
        Array.from({ length: PROBES }, (_, i) => asBuyer(PROBE_BUYER, i % 2 === 0 ? joinWaitlistBody(WATCHED_SESSION) : leaveWaitlistBody(WATCHED_SESSION))),
      );
      const job: SubscriptionJob = {
        mode: 'subscriptions',
        wsUrl: gateways[kind]!.url.replace(/^http/, 'ws'),
        query,
        operationName,
        variables: { sessionId: WATCHED_SESSION },
        connectionParams,
        subscribers: size,
        probes,
        bursts: [
          await Promise.all(buyers.map((i) => asBuyer(i, joinWaitlistBody(WATCHED_SESSION)))),
          await Promise.all(buyers.map((i) => asBuyer(i, leaveWaitlistBody(WATCHED_SESSION)))),
        ],
        windowMs: options.windowMs,
        changesField: ['joined', 'left'],
      };
      const gatewayCpu = sampleCpu(() => gateways[kind]!.cpuMs());
      // The subgraphs run in this process: its CPU over the bursts is theirs (and the runner's, idle then).
      const subgraphCpu = sampleCpu(() => {
        const usage = process.cpuUsage();
        return (usage.user + usage.system) / 1000;
      });
      const sqlAt: number[] = [];
      const stopSql = onSqlStatement(stack.runtime.orm, () => sqlAt.push(Date.now()));
      try {
        const result = await options.run(job);
        return {
          result,
          gatewayCpuMs: gatewayCpu.between(result.burstsFrom, result.burstsTo),
          subgraphCpuMs: subgraphCpu.between(result.burstsFrom, result.burstsTo),
          subscribeSql: sqlAt.filter((at) => at >= result.subscribeFrom && at <= result.snapshotsTo).length,
        };
      } finally {
        stopSql();
        gatewayCpu.stop();
        subgraphCpu.stop();
        // The next round starts from an empty waitlist, even if this one stopped half-way.
        for (const index of [PROBE_BUYER, ...buyers]) {
          // Refused when the buyer is not on the list: that is the state wanted.
          await send(await asBuyer(index, leaveWaitlistBody(WATCHED_SESSION))).catch(() => undefined);
        }
      }
    });
    results.push({
      id: `5-${size}${organizerCount === size ? '-distinct' : ''}`,
      title: `Subscription fan-out: ${size} graphql-ws subscribers (${organizerCount} organizers) of one session's waitlistUpdated`,
      measures:
        `${size} sockets, one subscription each, from ${organizerCount} organizers (${size / organizerCount} screen${size === organizerCount ? '' : 's'} each); per round 2 bursts of ${options.burstSize} mutations ` +
        `(joins, then leaves) sent at once to the waitlist subgraph; coalescing window ${options.windowMs} ms; latency from the burst's first mutation, so it includes the window`,
      rows: Object.fromEntries(options.targets.map((kind) => [kind, rowOf(samples[kind], size, options.burstSize, gateways[kind]!.peakRssMb())])),
      notes: [
        `refetch model: every socket event makes every client refetch, ${options.burstSize} × ${size} = ${options.burstSize * size} full queries per burst; ` +
          `refetchQueriesPerMessage is those queries ÷ the messages delivered here` +
          (options.dashboardRps ? `; at this run's dashboard rate (${options.dashboardRps.toFixed(0)} req/s, scenario 1) one burst would cost ${((options.burstSize * size) / options.dashboardRps / 60).toFixed(0)} min of gateway time` : ''),
        'changesSeen: the fewest changes any subscriber was told of in a burst, over the burst size (must be equal: nothing lost)',
        'snapshotP50Ms/snapshotP95Ms: from a socket\'s subscribe to its first message, the snapshot; snapshotsReceived: sockets with a snapshot before any probe; ' +
          'sqlPerSnapshot: the subgraphs\' SQL statements from the first subscribe to the last snapshot (snapshot reads, one per session per window, and access checks) ÷ sockets',
      ],
    });
  }
  return results;
}

function rowOf(samples: Sample[], subscribers: number, burstSize: number, peakRssMb: number) {
  const bursts = samples.flatMap((s) => s.result.bursts);
  const messages = bursts.reduce((total, burst) => total + burst.messages, 0);
  const fewestChanges = Math.min(...bursts.map((burst) => burst.fewestChangesSeen));
  return {
    subscribeAllMs: summarize(samples.map((s) => s.result.subscribeAllMs)),
    snapshotP50Ms: summarize(samples.map((s) => s.result.snapshotMs.p50)),
    snapshotP95Ms: summarize(samples.map((s) => s.result.snapshotMs.p95)),
    snapshotsReceived: `${Math.min(...samples.map((s) => s.result.snapshots))}/${subscribers}`,
    sqlPerSnapshot: summarize(samples.map((s) => s.subscribeSql / Math.max(1, s.result.snapshots))),
    snapshotSqlStatements: summarize(samples.map((s) => s.subscribeSql)),
    probesSent: summarize(samples.map((s) => s.result.probesSent)),
    messagesPerSubscriberPerBurst: summarize(bursts.map((burst) => burst.messagesPerSubscriber)),
    changesSeen: `${Number.isFinite(fewestChanges) ? fewestChanges : 0}/${burstSize}`,
    deliveredPerSecond: summarize(bursts.map((burst) => burst.deliveredPerSecond)),
    p50: summarize(bursts.map((burst) => burst.latencyMs.p50)),
    p95: summarize(bursts.map((burst) => burst.latencyMs.p95)),
    fanOutP95Ms: summarize(bursts.map((burst) => burst.spreadMs.p95)),
    gatewayCpuMsPerBurst: summarize(samples.map((s) => s.gatewayCpuMs / Math.max(1, s.result.bursts.length))),
    subgraphCpuMsPerBurst: summarize(samples.map((s) => s.subgraphCpuMs / Math.max(1, s.result.bursts.length))),
    gatewayCpuUsPerMessage: summarize(samples.map((s) => (s.gatewayCpuMs * 1000) / Math.max(1, s.result.bursts.reduce((t, b) => t + b.messages, 0)))),
    refetchQueriesPerMessage: summarize(bursts.map((burst) => (burst.mutations * subscribers) / Math.max(1, burst.messages))),
    peakRssMb,
    failures: samples.reduce((total, s) => total + s.result.failures + (s.result.allSubscribed ? 0 : 1), 0) + bursts.reduce((t, b) => t + b.mutationFailures, 0),
    firstFailure: samples.map((s) => s.result.firstFailure ?? (s.result.allSubscribed ? '' : 'not every subscriber received the probe')).find(Boolean) ?? '',
    totalMessages: messages,
  };
}

/** Samples a CPU time (ms) every 100 ms, to read it over a span the load process reports. */
function sampleCpu(cpuMs: () => number): { between(from: number, to: number): number; stop(): void } {
  const samples: [number, number][] = [[Date.now(), cpuMs()]];
  const timer = setInterval(() => samples.push([Date.now(), cpuMs()]), 100);
  return {
    between: (from, to) => {
      samples.push([Date.now(), cpuMs()]);
      const start = [...samples].reverse().find(([at]) => at <= from) ?? samples[0];
      const end = samples.find(([at]) => at >= to) ?? samples[samples.length - 1];
      return end[1] - start[1];
    },
    stop: () => clearInterval(timer),
  };
}
