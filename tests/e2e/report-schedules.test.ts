import { SeedFile } from '../../kernel/contracts/platform-records';
import { applySeed } from '../../kernel/platform/seed';
import {
  CreateReportScheduleDocument,
  DeleteReportScheduleDocument,
  ReportDeliveriesDocument,
  ReportSchedulesDocument,
  SendReportNowDocument,
  UpdateReportScheduleDocument,
} from '../generated/operations';
import { codesOf, graphql } from '../support/graphql';
import { countRows } from '../support/role-matrix';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

const EVENT_ID = 'ev-private';
const FORM = {
  frequency: 'WEEKLY',
  weekday: 'MONDAY',
  timeOfDay: '08:00',
  timeZone: 'Europe/Paris',
  format: 'XLSX',
  recipients: ['finance@acme.example', 'ceo@acme.example'],
};

/** Weekday and wall time of an instant in a zone, as a person there reads their clock. */
const wallClock = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
const localDay = (iso: string, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(iso));

describe('report schedules through the gateway', () => {
  let stack: TestStack;
  const tokens: Record<string, string> = {};
  const as = (userId: string | null, document: Parameters<typeof graphql>[1], variables: Record<string, unknown>) =>
    graphql(stack.gatewayUrl, document, { variables, token: userId ? tokens[userId] : undefined });
  const create = (userId: string, input: Record<string, unknown> = FORM) => as(userId, CreateReportScheduleDocument, { eventId: EVENT_ID, input });

  beforeAll(async () => {
    stack = await startStack();
    for (const user of ['u-owner', 'u-staff', 'u-guest', 'u-outsider']) tokens[user] = await tokenFor(user);
  });
  afterAll(() => stack.close());

  it('creates a schedule and says when it next runs, in the organizer\'s zone, and which days it will cover', async () => {
    const response = await create('u-owner');
    expect(response.errors).toBeUndefined();
    const schedule = response.data.createReportSchedule;
    expect(schedule).toMatchObject({ ...FORM, eventId: EVENT_ID, dayOfMonth: null, isActive: true });
    const next = schedule.nextRunAt as string;
    expect(new Date(next).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(next).getTime()).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
    expect(wallClock(next, 'Europe/Paris')).toBe('Monday 08:00');
    const runDay = localDay(next, 'Europe/Paris');
    const dayBefore = (days: number) => new Date(Date.parse(`${runDay}T12:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
    expect(schedule.nextPeriod).toMatchObject({ from: dayBefore(7), to: dayBefore(1), timeZone: 'Europe/Paris' });
    expect(wallClock(schedule.nextPeriod.end, 'Europe/Paris')).toBe('Monday 00:00');

    const listed = await as('u-staff', ReportSchedulesDocument, { eventId: EVENT_ID });
    expect(listed.data.reportSchedules.map((row: { id: string }) => row.id)).toContain(schedule.id);
  });

  it.each([
    [{ recipients: ['finance@acme.example', 'not an address'] }, 'input.recipients'],
    [{ recipients: Array.from({ length: 21 }, (_, i) => `r${i}@acme.example`) }, 'input.recipients'],
    [{ recipients: [] }, 'input.recipients'],
    [{ timeZone: 'Europe/Atlantis' }, 'input.timeZone'],
    [{ timeOfDay: '8am' }, 'input.timeOfDay'],
    [{ weekday: undefined }, 'input.weekday'],
    [{ frequency: 'MONTHLY', dayOfMonth: 30 }, 'input.dayOfMonth'],
  ])('refuses %j with BAD_USER_INPUT naming %s, writing nothing', async (change, field) => {
    const before = await countRows(stack.runtime.orm, 'report_schedules');
    const response = await create('u-staff', { ...FORM, ...change });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions!.field).toBe(field);
    expect(response.errors![0].message.length).toBeGreaterThan(20);
    expect(response.data?.createReportSchedule ?? null).toBeNull();
    expect(await countRows(stack.runtime.orm, 'report_schedules')).toBe(before);
  });

  it('moves the next run when the time changes, and shows none while the schedule is off', async () => {
    const { id } = (await create('u-owner')).data.createReportSchedule;
    const moved = await as('u-staff', UpdateReportScheduleDocument, { id, input: { frequency: 'DAILY', timeOfDay: '23:45', timeZone: 'America/New_York' } });
    expect(moved.errors).toBeUndefined();
    expect(moved.data.updateReportSchedule).toMatchObject({ frequency: 'DAILY', weekday: null, timeOfDay: '23:45', timeZone: 'America/New_York', recipients: FORM.recipients });
    expect(wallClock(moved.data.updateReportSchedule.nextRunAt, 'America/New_York')).toMatch(/ 23:45$/);
    expect(new Date(moved.data.updateReportSchedule.nextRunAt).getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);

    const off = await as('u-owner', UpdateReportScheduleDocument, { id, input: { isActive: false } });
    expect(off.data.updateReportSchedule).toMatchObject({ isActive: false, nextRunAt: null, nextPeriod: null });

    const monthly = await as('u-owner', UpdateReportScheduleDocument, { id, input: { frequency: 'MONTHLY' } });
    expect(codesOf(monthly)).toEqual(['BAD_USER_INPUT']);
    expect(monthly.errors![0].extensions!.field).toBe('input.dayOfMonth');
  });

  it('sends the latest period now and lists it in the history', async () => {
    const { id } = (await create('u-owner')).data.createReportSchedule;
    const sent = await as('u-staff', SendReportNowDocument, { scheduleId: id });
    expect(sent.errors).toBeUndefined();
    expect(sent.data.sendReportNow).toMatchObject({ trigger: 'MANUAL', status: expect.stringMatching(/^(QUEUED|SENT)$/), failureReason: null });
    expect(sent.data.sendReportNow.filename).toMatch(/^monetization-ev-private-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.xlsx$/);
    // A WEEKLY report: the seven days before the latest Monday that has come.
    expect(wallClock(sent.data.sendReportNow.period.end, 'Europe/Paris')).toBe('Monday 00:00');

    const history = await as('u-owner', ReportDeliveriesDocument, { scheduleId: id });
    expect(history.data.reportDeliveries).toEqual([
      expect.objectContaining({ id: sent.data.sendReportNow.id, trigger: 'MANUAL', recipients: FORM.recipients, format: 'XLSX', attempts: 1 }),
    ]);
  });

  it('answers FORBIDDEN to an attendee, NOT_FOUND to another organization and for unknown ids, UNAUTHENTICATED to anonymous', async () => {
    const { id } = (await create('u-owner')).data.createReportSchedule;
    expect(codesOf(await as('u-guest', ReportSchedulesDocument, { eventId: EVENT_ID }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await as('u-guest', SendReportNowDocument, { scheduleId: id }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await as('u-outsider', ReportSchedulesDocument, { eventId: EVENT_ID }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await as('u-outsider', DeleteReportScheduleDocument, { id }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await as(null, ReportSchedulesDocument, { eventId: EVENT_ID }))).toEqual(['UNAUTHENTICATED']);
    for (const unknown of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect(codesOf(await as('u-owner', ReportDeliveriesDocument, { scheduleId: unknown }))).toEqual(['NOT_FOUND']);
      expect(codesOf(await as('u-owner', UpdateReportScheduleDocument, { id: unknown, input: { isActive: false } }))).toEqual(['NOT_FOUND']);
    }
  });

  it('stops a member removed from the organization from managing its schedules at once', async () => {
    const { orm } = stack.runtime;
    const { id } = (await create('u-staff')).data.createReportSchedule;
    const membership = (members: string[]) =>
      applySeed(orm, SeedFile.parse({ organizations: [{ id: 'org-acme', name: 'Acme Events', members }] }));
    await membership(['u-owner']);
    try {
      const before = await orm.em.fork().execute(`select * from report_schedules where id = ?`, [id]);
      const deliveries = await countRows(orm, 'report_deliveries');
      expect(codesOf(await as('u-staff', ReportSchedulesDocument, { eventId: EVENT_ID }))).toEqual(['NOT_FOUND']);
      expect(codesOf(await as('u-staff', UpdateReportScheduleDocument, { id, input: { recipients: ['me@elsewhere.example'] } }))).toEqual(['NOT_FOUND']);
      expect(codesOf(await as('u-staff', SendReportNowDocument, { scheduleId: id }))).toEqual(['NOT_FOUND']);
      expect(codesOf(await as('u-staff', ReportDeliveriesDocument, { scheduleId: id }))).toEqual(['NOT_FOUND']);
      expect(codesOf(await as('u-staff', DeleteReportScheduleDocument, { id }))).toEqual(['NOT_FOUND']);
      expect(await orm.em.fork().execute(`select * from report_schedules where id = ?`, [id])).toEqual(before);
      expect(await countRows(orm, 'report_deliveries')).toBe(deliveries);
      // The schedule belongs to the event: the owner still manages it.
      const listed = await as('u-owner', ReportSchedulesDocument, { eventId: EVENT_ID });
      expect(listed.data.reportSchedules.map((row: { id: string }) => row.id)).toContain(id);
    } finally {
      await membership(['u-owner', 'u-staff']);
    }
  });

  it('deletes a schedule with its history', async () => {
    const { id } = (await create('u-owner')).data.createReportSchedule;
    expect((await as('u-owner', SendReportNowDocument, { scheduleId: id })).errors).toBeUndefined();
    const deleted = await as('u-staff', DeleteReportScheduleDocument, { id });
    expect(deleted.data.deleteReportSchedule).toBe(true);
    const [{ count }] = await stack.runtime.orm.em.fork().execute<{ count: string }[]>(`select count(*) from report_deliveries where schedule_id = ?`, [id]);
    expect(Number(count)).toBe(0);
    expect(codesOf(await as('u-owner', DeleteReportScheduleDocument, { id }))).toEqual(['NOT_FOUND']);
  });
});
