import { execFileSync } from 'node:child_process';
import path from 'node:path';
import IORedis from 'ioredis';
import type { HostPort } from '../../kernel/config';

const CLUSTER_SCRIPT = path.resolve(__dirname, '../../scripts/services/redis-cluster.sh');

interface ClusterNode extends HostPort {
  id: string;
  master: boolean;
  /** The id of the master a replica follows. */
  masterId: string | null;
  slots: [number, number][];
}

/** A plain connection to one node of the test cluster (not the cluster client), for admin commands. */
export async function onNode<T>(node: HostPort, use: (redis: IORedis) => Promise<T>): Promise<T> {
  const redis = new IORedis({ host: node.host, port: node.port, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

/** The cluster's nodes as `seed` sees them (CLUSTER NODES). */
export async function clusterNodes(seed: HostPort): Promise<ClusterNode[]> {
  const text = await onNode(seed, (redis) => redis.cluster('NODES') as Promise<string>);
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id, address, flags, masterId, , , , , ...slots] = line.split(' ');
      const [hostPort] = address.split('@');
      const separator = hostPort.lastIndexOf(':');
      return {
        id,
        host: hostPort.slice(0, separator),
        port: Number(hostPort.slice(separator + 1)),
        master: flags.split(',').includes('master'),
        masterId: masterId === '-' ? null : masterId,
        slots: slots
          .filter((range) => /^\d/.test(range))
          .map((range) => {
            const [from, to = from] = range.split('-').map(Number);
            return [from, to] as [number, number];
          }),
      };
    });
}

/** The master serving `key` and its replica. */
export async function masterAndReplicaOf(seed: HostPort, key: string): Promise<{ master: ClusterNode; replica: ClusterNode }> {
  const slot = await onNode(seed, (redis) => redis.cluster('KEYSLOT', key) as Promise<number>);
  const nodes = await clusterNodes(seed);
  const master = nodes.find((node) => node.master && node.slots.some(([from, to]) => slot >= from && slot <= to));
  const replica = nodes.find((node) => node.masterId === master?.id);
  if (!master || !replica) throw new Error(`no master with a replica serves slot ${slot}: ${JSON.stringify(nodes)}`);
  return { master, replica };
}

/** Kills a node's redis-server outright (SIGKILL: no goodbye to the cluster), after it replicated its writes. */
export async function killNode(node: HostPort): Promise<void> {
  const pid = await onNode(node, async (redis) => {
    // Every write so far reaches the replica first, so the test's counts survive the failover.
    await redis.call('WAIT', '1', '2000');
    const info = await redis.info('server');
    return Number(/process_id:(\d+)/.exec(info)?.[1]);
  });
  if (!pid) throw new Error(`could not read the pid of the node on port ${node.port}`);
  process.kill(pid, 'SIGKILL');
}

/** Starts whatever cluster node is down again and waits until the cluster is whole (idempotent). */
export function healCluster(): void {
  execFileSync('bash', [CLUSTER_SCRIPT, 'start'], { stdio: 'pipe', timeout: 120_000 });
}
