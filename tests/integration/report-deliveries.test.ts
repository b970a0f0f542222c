import { Queue } from 'bullmq';
import ExcelJS from 'exceljs';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { createLogger } from '../../kernel/logger';
import { applySeed } from '../../kernel/platform/seed';
import { createRuntime, type Runtime } from '../../kernel/runtime';
import { claimDueSchedules, deliver, deliverPending, runReportSchedules } from '../../subgraphs/analytics/schedules/delivery-runner';
import { REPORTS_QUEUE } from '../../subgraphs/analytics/schedules/jobs';
import { REPORTS_TOPIC, type ReportReadyData } from '../../subgraphs/analytics/schedules/report-ready';
import { sendNow } from '../../subgraphs/analytics/schedules/schedule-service';
import { allEntities } from '../../subgraphs/entities';
import { serveSubgraphs } from '../../subgraphs/serve';
import { rebuildRollups } from '../../subgraphs/analytics/rollups';
import { addAnalyticsEvent, ingest, monetizationEnvelope } from '../support/analytics';
import { codesOf, graphql } from '../support/graphql';
import { collectTopic } from '../support/kafka';
import { eventually } from '../support/timing';
import { addSchedule, countFor, failedDelivery, makeDue } from '../support/report-schedules';
import { fixture, startStack, testConfig, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

const logger = createLogger('silent');
const DAY = 86_400_000;
const TICK_MS = '150';
const SECTIONS = ['Revenue', 'Offers', 'Ads', 'Waitlist', 'Funnel'];
const todayUtc = () => new Date(Math.floor(Date.now() / DAY) * DAY);
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** A process of the analytics subgraph on the shared database, Redis and Kafka: its server, scheduler and outbox relay. */
async function startReplica(options: { serve?: boolean } = {}): Promise<Runtime> {
  const config = testConfig({ kafka: true, env: { REPORT_SCHEDULE_TICK_MS: TICK_MS } });
  const runtime = await createRuntime(config, logger, { entities: allEntities, workers: true });
  if (options.serve !== false) await serveSubgraphs(runtime, ['analytics'], { portOf: () => 0 });
  return runtime;
}

async function deliveriesOf(runtime: Runtime, scheduleId: string) {
  return runtime.orm.em.fork().execute<{ id: string; status: string; attempts: number; period_from: string; period_to: string; sent: boolean }[]>(
    `select d.id, d.status, d.attempts, to_char(d.period_from, 'YYYY-MM-DD') as period_from, to_char(d.period_to, 'YYYY-MM-DD') as period_to,
            o.sent_at is not null as sent
       from report_deliveries d left join outbox_messages o on o.id = d.outbox_message_id
      where d.schedule_id = ? order by d.period_start`,
    [scheduleId],
  );
}

const allSent = (runtime: Runtime, scheduleId: string, count: number) =>
  eventually(async () => {
    const rows = await deliveriesOf(runtime, scheduleId);
    return rows.length === count && rows.every((row) => row.status === 'QUEUED' && row.sent) ? rows : null;
  }, 30_000, `${count} deliveries of ${scheduleId} to be published`);

describe('a replica that dies while building a report', () => {
  const runtimes: Runtime[] = [];
  afterAll(async () => {
    for (const runtime of runtimes) await runtime.shutdown.dispose().catch(() => undefined);
  });

  it('leaves the period to the others, which deliver it once: no duplicate after the restart', async () => {
    // Replicas without their scheduler, so that the test decides who runs when.
    const [dying, other] = [await startReplica({ serve: false }), await startReplica({ serve: false })];
    runtimes.push(dying, other);
    await applySeed(dying.orm, fixture);
    const eventId = await addAnalyticsEvent(dying.orm);
    const schedule = await addSchedule(dying.orm, eventId);
    await makeDue(dying.orm, schedule.id, todayUtc());
    expect(await claimDueSchedules(dying.orm.em, logger)).toBe(1);
    const [pending] = await deliveriesOf(dying, schedule.id);

    // Reading the facts waits on this lock, so the build stalls half-way, holding the delivery's row.
    const blocker = new Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table monetization_events in access exclusive mode');
      const building = deliver(dying.orm.em, logger, pending.id);
      const [{ pid }] = (await eventually(async () => {
        // Asked on another connection: inside the blocker's transaction the activity view is a snapshot.
        const rows = await other.orm.em
          .fork()
          .execute<{ pid: number }[]>(`select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        return rows.length === 1 ? rows : null;
      }, 10_000, 'the build to wait half-way'))!;

      // Meanwhile the other replica passes over it rather than building it a second time.
      expect(await deliverPending(other.orm.em, logger)).toMatchObject({ QUEUED: 0, SKIPPED: 1 });

      // The replica dies: its connection goes, its transaction is rolled back.
      await blocker.query('select pg_terminate_backend($1)', [pid]);
      await expect(building).rejects.toBeDefined();
      await dying.shutdown.dispose();
    } finally {
      await blocker.query('rollback').catch(() => undefined);
      await blocker.end();
    }
    expect((await deliveriesOf(other, schedule.id)).map((row) => [row.status, row.attempts])).toEqual([['PENDING', 0]]);

    // The restarted process and the other replica both pass: the period goes out once.
    const restarted = await startReplica({ serve: false });
    runtimes.push(restarted);
    await Promise.all([runReportSchedules(restarted.orm.em, logger), runReportSchedules(other.orm.em, logger)]);
    await Promise.all([runReportSchedules(restarted.orm.em, logger), runReportSchedules(other.orm.em, logger)]);
    const rows = (await allSent(other, schedule.id, 1))!;
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([['QUEUED', 1]]);
    expect(await countFor(other.orm, schedule.id)).toEqual({ deliveries: 1, messages: 1 });
  });
});

describe('scheduled reports with two analytics replicas on real Redis and Kafka', () => {
  let stack: TestStack;
  let replica: Runtime;
  let topic: Awaited<ReturnType<typeof collectTopic>>;
  const messagesOf = (scheduleId: string) =>
    topic.envelopes.filter((envelope) => (envelope.data as ReportReadyData).scheduleId === scheduleId);

  beforeAll(async () => {
    // Stacks of earlier suites left the job scheduler on the shared Redis at the default minute; a
    // scheduler changed to another interval keeps its old cadence until its pending job comes due.
    const connection = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const queue = new Queue(REPORTS_QUEUE, { connection });
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
    stack = await startStack({ kafka: true, workers: true, env: { REPORT_SCHEDULE_TICK_MS: TICK_MS } });
    replica = await startReplica();
    topic = await collectTopic(REPORTS_TOPIC);
  });
  afterAll(async () => {
    await topic?.stop();
    await replica?.shutdown.dispose();
    await stack?.close();
  });

  /** Both replicas run passes at the same time, as overlapping ticks would. */
  const race = () =>
    Promise.all([stack.runtime, replica, stack.runtime, replica].map((runtime) => runReportSchedules(runtime.orm.em, logger)));

  it('delivers a schedule due now once, as an XLSX on the reports topic that exceljs opens', async () => {
    const { orm } = stack.runtime;
    const eventId = await addAnalyticsEvent(orm, { name: 'Scheduled Summit' });
    const today = todayUtc();
    const yesterdayNoon = new Date(today.getTime() - DAY / 2);
    await ingest(orm, [
      monetizationEnvelope('PurchaseCompleted', { eventId, amountCents: 4200, currency: 'USD', quantity: 1, offerTitle: 'VIP upgrade', offerId: '00000000-0000-4000-8000-000000000021' }, yesterdayNoon),
      // Outside the period (today): not counted.
      monetizationEnvelope('PurchaseCompleted', { eventId, amountCents: 999, currency: 'USD' }, new Date(today.getTime() + 1000)),
    ]);
    const schedule = await addSchedule(orm, eventId, { recipients: ['cfo@example.com', 'ops@example.com'] });
    await makeDue(orm, schedule.id, today);

    const [delivery] = (await allSent(stack.runtime, schedule.id, 1))!;
    await race();
    expect(await countFor(orm, schedule.id)).toEqual({ deliveries: 1, messages: 1 });
    const [next] = await orm.em.fork().execute<{ next_run_at: Date }[]>(`select next_run_at from report_schedules where id = ?`, [schedule.id]);
    expect(new Date(next.next_run_at).toISOString()).toBe(new Date(today.getTime() + DAY).toISOString());

    const [message] = (await eventually(() => (messagesOf(schedule.id).length > 0 ? messagesOf(schedule.id) : null), 30_000, 'the ReportReady message'))!;
    expect(message.type).toBe('ReportReady');
    const data = message.data as ReportReadyData;
    const yesterday = isoDay(new Date(today.getTime() - DAY));
    expect(data).toMatchObject({
      deliveryId: delivery.id,
      scheduleId: schedule.id,
      eventId,
      eventName: 'Scheduled Summit',
      trigger: 'SCHEDULED',
      recipients: ['cfo@example.com', 'ops@example.com'],
      period: { from: yesterday, to: yesterday, timeZone: 'UTC', start: `${yesterday}T00:00:00.000Z`, end: today.toISOString() },
      filename: `monetization-${eventId}-${yesterday}-to-${yesterday}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    const bytes = Buffer.from(data.base64, 'base64');
    expect(bytes.length).toBe(data.byteLength);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as never);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(SECTIONS);
    expect(workbook.getWorksheet('Revenue')!.getRow(2).getCell(2).value).toBe(42);
    expect(workbook.getWorksheet('Offers')!.getRow(2).getCell(2).value).toBe('VIP upgrade');

    // Later passes of both replicas change nothing, and nothing more reaches Kafka.
    await race();
    await stack.runtime.relay.drain();
    expect(await countFor(orm, schedule.id)).toEqual({ deliveries: 1, messages: 1 });
    expect(messagesOf(schedule.id)).toHaveLength(1);
  });

  it('delivers each of many schedules due at once exactly once while both replicas race', async () => {
    const { orm } = stack.runtime;
    const eventId = await addAnalyticsEvent(orm);
    const schedules = await Promise.all(Array.from({ length: 8 }, (_, i) => addSchedule(orm, eventId, { format: i % 2 ? 'CSV' : 'XLSX' })));
    for (const schedule of schedules) await makeDue(orm, schedule.id, todayUtc());
    await race();
    for (const schedule of schedules) await allSent(stack.runtime, schedule.id, 1);
    await race();
    for (const schedule of schedules) expect(await countFor(orm, schedule.id)).toEqual({ deliveries: 1, messages: 1 });
    await eventually(() => schedules.every((schedule) => messagesOf(schedule.id).length === 1), 30_000, 'one message per schedule');
  });

  it('delivers the periods missed while no process ran, late and once each, then carries on on time', async () => {
    const { orm } = stack.runtime;
    const eventId = await addAnalyticsEvent(orm);
    const schedule = await addSchedule(orm, eventId);
    const today = todayUtc();
    // The last run that happened was three days ago; the runs of the two days after and of today were missed.
    await makeDue(orm, schedule.id, new Date(today.getTime() - 2 * DAY));
    const rows = (await allSent(stack.runtime, schedule.id, 3))!;
    const day = (offset: number) => isoDay(new Date(today.getTime() + offset * DAY));
    expect(rows.map((row) => [row.period_from, row.period_to])).toEqual([
      [day(-3), day(-3)],
      [day(-2), day(-2)],
      [day(-1), day(-1)],
    ]);
    await race();
    expect(await countFor(orm, schedule.id)).toEqual({ deliveries: 3, messages: 3 });
    const [next] = await orm.em.fork().execute<{ next_run_at: Date }[]>(`select next_run_at from report_schedules where id = ?`, [schedule.id]);
    expect(new Date(next.next_run_at).getTime()).toBe(today.getTime() + DAY);
  });

  it.each([
    ['the 25-hour autumn day', '2026-10-25', '2026-10-26T12:00:00Z', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z'],
    ['the 23-hour spring day', '2026-03-29', '2026-03-30T12:00:00Z', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z'],
  ])('counts %s of Europe/Paris whole, by the facts on its edges', async (_name, day, now, start, end) => {
    const { orm } = stack.runtime;
    const eventId = await addAnalyticsEvent(orm);
    const minute = 60_000;
    const [first, last] = [Date.parse(start), Date.parse(end)];
    const purchase = (cents: number, at: number) =>
      monetizationEnvelope('PurchaseCompleted', { eventId, amountCents: cents, currency: 'USD', quantity: 1 }, new Date(at));
    await ingest(orm, [
      purchase(1, first - minute), // 23:59 the evening before: not counted
      purchase(100, first), // local midnight: counted
      purchase(10_000, last - minute), // 23:59 local: counted
      purchase(1_000_000, last), // next local midnight: not counted
    ]);
    const schedule = await addSchedule(orm, eventId, { timeOfDay: '08:00', timeZone: 'Europe/Paris' });
    const delivery = await sendNow(orm.em, logger, schedule.id, { now: new Date(now) });
    expect(delivery.period).toMatchObject({ from: day, to: day, start: new Date(start), end: new Date(end), timeZone: 'Europe/Paris' });
    const [message] = (await eventually(() => (messagesOf(schedule.id).length > 0 ? messagesOf(schedule.id) : null), 30_000, 'the report'))!;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from((message.data as ReportReadyData).base64, 'base64') as never);
    expect(workbook.getWorksheet('Revenue')!.getRow(2).getCell(2).value).toBe(101);
  });

  it('records a report over the size limit as FAILED with the reason, and sends it when retried', async () => {
    const { orm } = stack.runtime;
    const eventId = await addAnalyticsEvent(orm);
    const schedule = await addSchedule(orm, eventId, { format: 'CSV' });
    const failed = await failedDelivery(orm, schedule.id);
    expect(failed).toMatchObject({ status: 'FAILED', trigger: 'MANUAL', attempts: 1, sentAt: null });
    expect(failed.failureReason).toMatch(/more than the 10 allowed/);
    expect(await countFor(orm, schedule.id)).toEqual({ deliveries: 1, messages: 0 });

    const token = await tokenFor('u-staff');
    const history = await graphql(stack.gatewayUrl, `query ($id: ID!) { reportDeliveries(scheduleId: $id) { id status failureReason attempts } }`, {
      variables: { id: schedule.id },
      token,
    });
    expect(history.data.reportDeliveries).toEqual([{ id: failed.id, status: 'FAILED', failureReason: failed.failureReason, attempts: 1 }]);

    const retry = `mutation ($id: ID!) { retryReportDelivery(deliveryId: $id) { id status attempts failureReason filename } }`;
    const retried = await graphql(stack.gatewayUrl, retry, { variables: { id: failed.id }, token });
    expect(retried.errors).toBeUndefined();
    expect(retried.data.retryReportDelivery).toMatchObject({ id: failed.id, status: expect.stringMatching(/^(QUEUED|SENT)$/), attempts: 2, failureReason: null });
    await allSent(stack.runtime, schedule.id, 1);
    await eventually(() => messagesOf(schedule.id).length === 1, 30_000, 'the retried report on Kafka');

    const again = await graphql(stack.gatewayUrl, retry, { variables: { id: failed.id }, token });
    expect(codesOf(again)).toEqual(['CONFLICT']);
    expect(await countFor(orm, schedule.id)).toEqual({ deliveries: 1, messages: 1 });
  });

  it('carries a report larger than Kafka\'s default 1 MB message to the email worker', async () => {
    const { orm } = stack.runtime;
    const eventId = await addAnalyticsEvent(orm);
    // 16,000 offers seen in the period: a CSV of about 1.25 MB, 1.7 MB in base64.
    await orm.em.fork().execute(
      `insert into monetization_events (id, event_id, event_type, offer_id, offer_title, created_at)
       select 'big-' || ? || '-' || n, ?, 'OfferViewed', gen_random_uuid(), 'Offer number ' || n, ?::timestamptz
         from generate_series(1, 16000) n`,
      [eventId, eventId, new Date(todayUtc().getTime() - DAY / 2).toISOString()],
    );
    await rebuildRollups(orm.em.fork(), [eventId]);
    const schedule = await addSchedule(orm, eventId, { format: 'CSV' });
    const delivery = await sendNow(orm.em, logger, schedule.id);
    expect(delivery.status).toBe('QUEUED');
    expect(delivery.byteLength).toBeGreaterThan(1024 * 1024);
    await allSent(stack.runtime, schedule.id, 1);
    const [message] = (await eventually(() => (messagesOf(schedule.id).length > 0 ? messagesOf(schedule.id) : null), 30_000, 'the large report'))!;
    const csv = Buffer.from((message.data as ReportReadyData).base64, 'base64').toString('utf8');
    expect(csv.split('\r\n').filter((line) => line.includes('Offer number')).length).toBe(16_000);
  });
});
