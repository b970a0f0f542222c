import type { Config } from '../../kernel/config';
import { createLogger } from '../../kernel/logger';
import { RedisLiveSubscriber } from '../../kernel/live/subscriber';
import { RedisLivePublisher } from '../../kernel/live/live-publisher';
import { flushAll } from '../../kernel/redis';
import { capKey } from '../../subgraphs/ads/serving/frequency-caps';
import { insertAd } from '../support/ads';
import { contractOperation } from '../support/contract-operations';
import { graphql } from '../support/graphql';
import { clusterNodes, healCluster, killNode, masterAndReplicaOf } from '../support/redis-cluster';
import { clusterTarget, connectRedis } from '../support/redis-targets';
import { startStack, type TestStack } from '../support/stack';
import { eventually, sleep } from '../support/timing';
import { tokenFor } from '../support/tokens';

const ADS_FOR_CONTEXT = contractOperation('ads.graphql', 'AdsForContext');
const CAP = 2;

/**
 * The ads subgraph on the test cluster (cluster-node-timeout 2 s) loses the master that holds the
 * viewer's frequency caps: its replica takes over. Until it has, serving fails closed (degraded, at
 * most one uncapped ad); afterwards caps are checked again, with the counts the replica kept.
 */
describe('ad frequency caps across a Redis Cluster failover', () => {
  const target = clusterTarget() as Config['redis'];
  const seed = target.cluster!.nodes[0];
  let stack: TestStack;
  let token: string;
  let cappedId: string;
  let subscriber: RedisLiveSubscriber;

  const serve = async () => {
    const response = await graphql(stack.gatewayUrl, ADS_FOR_CONTEXT, {
      variables: { eventId: 'ev-private', placement: 'failover', limit: 5 },
      token,
    });
    expect(response.errors).toBeUndefined();
    const { degraded, ads } = response.data.adsForContext as { degraded: boolean; ads: { name: string }[] };
    return { degraded, names: ads.map((ad) => ad.name) };
  };
  const cappedIn = (names: string[]) => names.filter((name) => name === 'capped').length;

  beforeAll(async () => {
    healCluster();
    stack = await startStack({
      subgraphs: ['ads'],
      env: { REDIS_URL: '', REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES_TEST!, ADS_CAP_COOLDOWN_MS: '300' },
    });
    await eventually(() => stack.runtime.redis.status === 'ready', 10_000, 'the cluster client');
    await flushAll(stack.runtime.redis);
    // Four ads for a limit of five: every answer that checked the caps has the capped one, until its cap.
    cappedId = (await insertAd(stack.runtime.orm, 'ev-private', { name: 'capped', placements: ['failover'], frequencyCap: CAP, weight: 1000 })).id;
    for (let i = 1; i <= 3; i += 1) await insertAd(stack.runtime.orm, 'ev-private', { name: `uncapped ${i}`, placements: ['failover'] });
    token = await tokenFor('u-vip');
    subscriber = new RedisLiveSubscriber(
      await connectRedis(target, { enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, subscriber: true }),
      createLogger('silent'),
    );
  });
  afterAll(async () => {
    subscriber?.dispose();
    await stack?.close();
    // Bring the killed node back (it rejoins as a replica), so later suites find a whole cluster.
    healCluster();
  });

  it('serves degraded while the master is gone, then checks caps again on the promoted replica', async () => {
    // A live channel on the same shard (its hash tag is the caps' one): its subscription must move too.
    const channel = 'live:failover:{u-vip}';
    const received: string[] = [];
    const held = subscriber.listen(channel, (message) => received.push(JSON.parse(message).phase));
    await held.ready;
    const publisher = new RedisLivePublisher(stack.runtime.redis);
    await publisher.publish(channel, { phase: 'before' });
    await eventually(() => received.includes('before'), 5_000, 'a live message before the failover');

    const before = await serve();
    expect(before).toEqual({ degraded: false, names: expect.arrayContaining(['capped', 'uncapped 1', 'uncapped 2', 'uncapped 3']) });
    let cappedServed = cappedIn(before.names);

    const { master, replica } = await masterAndReplicaOf(seed, capKey('u-vip', cappedId));
    await killNode(master);

    const degraded: string[][] = [];
    let recovered: { degraded: boolean; names: string[] } | undefined;
    const deadline = Date.now() + 30_000;
    while (!recovered && Date.now() < deadline) {
      const answer = await serve();
      if (answer.degraded) degraded.push(answer.names);
      else if (degraded.length > 0) recovered = answer;
      // An answer checked before the client noticed the loss still counted its impressions.
      else cappedServed += cappedIn(answer.names);
      await sleep(100);
    }
    expect(degraded.length).toBeGreaterThan(0);
    for (const names of degraded) {
      expect(names).toHaveLength(1);
      expect(names[0]).toMatch(/^uncapped/);
    }
    expect(recovered).toBeDefined();
    cappedServed += cappedIn(recovered!.names);
    expect((await clusterNodes(replica)).find((node) => node.id === replica.id)?.master).toBe(true);

    // Caps hold across the switch: the capped ad reaches its cap and then stops.
    for (let i = 0; i < 3; i += 1) {
      const answer = await serve();
      expect(answer.degraded).toBe(false);
      cappedServed += cappedIn(answer.names);
    }
    // Never over the cap. A check that timed out during the switch may still have been retried by
    // the client onto the new master and counted an impression that was not served: fewer, never more.
    expect(cappedServed).toBeGreaterThanOrEqual(1);
    expect(cappedServed).toBeLessThanOrEqual(CAP);
    expect(await stack.runtime.redis.get(capKey('u-vip', cappedId))).toBe(String(CAP));

    await eventually(
      async () => {
        await publisher.publish(channel, { phase: 'after' });
        return received.includes('after');
      },
      15_000,
      'a live message on the failed-over shard',
    );
    held.stop();
  });
});
