import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { AssignerProtocol, type Admin } from 'kafkajs';
import { createEnvelope } from '../../kernel/events/envelope';
import { KafkaBus } from '../../kernel/events/kafka-bus';
import { createLogger } from '../../kernel/logger';
import { testKafka } from '../support/kafka';
import { startStack, type TestStack } from '../support/stack';
import { eventually, sleep } from '../support/timing';

const ROOT = path.resolve(__dirname, '../..');
const PARTITIONS = 6;
const EVENTS = 12;
const BATCHES = 20;
const PER_BATCH = 30;

/** An analytics replica in a process of its own (tests/support/analytics-replica.ts). */
interface Replica {
  child: ChildProcess;
  stored: string[];
  output(): string;
}

function startReplica(topic: string, groupId: string): Replica {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/analytics-replica.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', TEST_TOPIC: topic, TEST_GROUP: groupId, KAFKA_TOPIC_PARTITIONS: String(PARTITIONS) },
  });
  const stored: string[] = [];
  let output = '';
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      output += `${line}\n`;
      if (line.startsWith('stored ')) stored.push(line.slice('stored '.length));
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, stored, output: () => output };
}

/** Partitions of the topic each live member of the group holds, by member. */
async function assignments(admin: Admin, groupId: string, topic: string): Promise<number[][]> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  if (group.state !== 'Stable') return [];
  return group.members.map((member) => AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment[topic] ?? []);
}

/**
 * Two analytics replicas share a six-partition topic as one consumer group; one is killed (SIGKILL:
 * no commit, no goodbye) while facts keep coming. The survivor takes its partitions over, re-reads
 * what the dead one had not committed, and every fact ends up in `monetization_events` exactly once.
 */
describe('analytics replicas on a partitioned topic', () => {
  const run = randomUUID().slice(0, 8);
  const topic = `monetization.events.v1.partition-test-${run}`;
  const groupId = `analytics-partition-test-${run}`;
  const eventIds = Array.from({ length: EVENTS }, (_, index) => `ev-partition-${run}-${index}`);
  let stack: TestStack;
  let bus: KafkaBus;
  let admin: Admin;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    stack = await startStack({ subgraphs: [], gateway: false });
    bus = new KafkaBus({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: `partition-test-${run}`, logger: createLogger('silent') });
    admin = testKafka().admin();
    await admin.connect();
  });
  afterAll(async () => {
    for (const replica of replicas) if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill('SIGKILL');
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
    await bus?.dispose();
    await stack?.close();
  });

  const storedRows = async () =>
    stack.runtime.orm.em
      .fork()
      .execute<{ id: string }[]>(`select id from monetization_events where event_id like ?`, [`ev-partition-${run}-%`]);

  it('counts every fact exactly once when a replica is killed mid-stream', async () => {
    const facts = Array.from({ length: BATCHES * PER_BATCH }, (_, index) => ({
      topic,
      key: eventIds[index % EVENTS],
      envelope: createEnvelope('OfferViewed', { eventId: eventIds[index % EVENTS], sessionId: `n-${index}` }),
    }));
    // The bus creates the topic with its partition count (KAFKA_TOPIC_PARTITIONS, default 6).
    await bus.publish(facts.slice(0, PER_BATCH));
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    expect(metadata.partitions).toHaveLength(PARTITIONS);

    replicas.push(startReplica(topic, groupId), startReplica(topic, groupId));
    const [survivor, victim] = replicas;
    const split = await eventually(
      async () => {
        const held = await assignments(admin, groupId, topic);
        return held.length === 2 && held.every((partitions) => partitions.length > 0) ? held : undefined;
      },
      60_000,
      `both replicas to hold partitions (${replicas.map((replica) => replica.output()).join(' | ')})`,
    );
    expect(split!.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);

    let killedAfter = -1;
    for (let batch = 1; batch < BATCHES; batch += 1) {
      await bus.publish(facts.slice(batch * PER_BATCH, (batch + 1) * PER_BATCH));
      if (killedAfter < 0 && batch >= BATCHES / 3) {
        await eventually(() => victim.stored.length > 0, 20_000, 'the doomed replica to store some facts');
        victim.child.kill('SIGKILL');
        killedAfter = victim.stored.length;
      }
      await sleep(50);
    }
    expect(killedAfter).toBeGreaterThan(0);

    // The survivor holds every partition after the group's session timeout, and catches up.
    await eventually(async () => (await storedRows()).length === facts.length, 60_000, 'every fact stored');
    const held = await eventually(async () => {
      const now = await assignments(admin, groupId, topic);
      return now.length === 1 ? now : undefined;
    }, 30_000, 'the survivor alone in the group');
    expect(held![0].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);

    const rows = await storedRows();
    expect(rows).toHaveLength(facts.length);
    expect(new Set(rows.map((row) => row.id))).toEqual(new Set(facts.map((fact) => fact.envelope.id)));
    // Both replicas did part of the work; what the victim never got to, the survivor did.
    expect(survivor.stored.length).toBeGreaterThan(0);
    expect(victim.stored.length).toBeLessThan(facts.length);
    expect(survivor.stored.length + victim.stored.length).toBeGreaterThanOrEqual(facts.length);
  });
});
