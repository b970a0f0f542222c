import { GraphQLError } from 'graphql';
import { latestRunAtOrBefore, nextRunAfter, periodOf, type Recurrence } from '../../subgraphs/analytics/schedules/recurrence';
import { resolveSettings, type ScheduleInput } from '../../subgraphs/analytics/schedules/schedule-input';

const daily = (timeZone: string, hour: number, minute = 0): Recurrence => ({ frequency: 'DAILY', weekday: null, dayOfMonth: null, hour, minute, timeZone });
const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

describe('when a scheduled report runs, in its IANA zone', () => {
  it('keeps 08:00 Paris local across the spring change: 07:00Z before, 06:00Z after', () => {
    const rule = daily('Europe/Paris', 8);
    expect(iso(nextRunAfter(rule, at('2026-03-27T12:00:00Z')))).toBe('2026-03-28T07:00:00.000Z');
    expect(iso(nextRunAfter(rule, at('2026-03-28T07:00:00Z')))).toBe('2026-03-29T06:00:00.000Z');
  });

  it('reports on whole local days: the 23-hour day of the spring change and the 25-hour day of the autumn one', () => {
    const rule = daily('Europe/Paris', 8);
    expect(periodOf(rule, at('2026-03-30T06:00:00Z'))).toEqual({
      from: '2026-03-29',
      to: '2026-03-29',
      start: at('2026-03-28T23:00:00Z'),
      end: at('2026-03-29T22:00:00Z'),
      days: 1,
    });
    const autumn = periodOf(rule, at('2026-10-26T07:00:00Z'));
    expect(autumn).toMatchObject({ from: '2026-10-25', to: '2026-10-25' });
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(25 * 3_600_000);
  });

  it('runs a time the clocks skip as much later (02:30 → 03:30) and a time they repeat once, at the first', () => {
    const rule = daily('Europe/Paris', 2, 30);
    expect(iso(nextRunAfter(rule, at('2026-03-28T12:00:00Z')))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(nextRunAfter(rule, at('2026-10-24T12:00:00Z')))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(nextRunAfter(rule, at('2026-10-25T00:30:00Z')))).toBe('2026-10-26T01:30:00.000Z');
  });

  it('runs exactly once a day through a whole year of a zone with DST, never twice, never skipping a day', () => {
    const rule = daily('America/New_York', 1, 30);
    const runs: Date[] = [];
    let cursor = at('2026-01-01T12:00:00Z');
    for (let i = 0; i < 365; i += 1) {
      cursor = nextRunAfter(rule, cursor);
      runs.push(cursor);
    }
    const periods = runs.map((run) => periodOf(rule, run));
    for (let i = 1; i < periods.length; i += 1) {
      expect(periods[i].start).toEqual(periods[i - 1].end);
      expect(periods[i].from > periods[i - 1].from).toBe(true);
    }
    expect(new Set(periods.map((period) => period.from)).size).toBe(365);
    // New York: 01:30 EST is 06:30Z, 01:30 EDT is 05:30Z.
    expect(runs.filter((run) => run.getUTCHours() === 5).length).toBe(238);
  });

  it('runs WEEKLY on the weekday with the seven days before, MONTHLY on the day with the month before', () => {
    const weekly: Recurrence = { frequency: 'WEEKLY', weekday: 1, dayOfMonth: null, hour: 9, minute: 0, timeZone: 'Asia/Tokyo' };
    const monday = nextRunAfter(weekly, at('2026-12-02T00:00:00Z'));
    expect(iso(monday)).toBe('2026-12-07T00:00:00.000Z');
    expect(periodOf(weekly, monday)).toMatchObject({ from: '2026-11-30', to: '2026-12-06', days: 7 });

    const monthly: Recurrence = { frequency: 'MONTHLY', weekday: null, dayOfMonth: 15, hour: 6, minute: 0, timeZone: 'UTC' };
    const run = nextRunAfter(monthly, at('2026-11-15T06:00:00Z'));
    expect(iso(run)).toBe('2026-12-15T06:00:00.000Z');
    expect(periodOf(monthly, run)).toMatchObject({ from: '2026-11-15', to: '2026-12-14', days: 30 });
    expect(iso(latestRunAtOrBefore(monthly, at('2026-12-20T00:00:00Z')))).toBe('2026-12-15T06:00:00.000Z');
    expect(iso(latestRunAtOrBefore(monthly, at('2026-12-15T06:00:00Z')))).toBe('2026-12-15T06:00:00.000Z');
  });
});

describe('checking a schedule as a form sends it', () => {
  const valid: ScheduleInput = {
    frequency: 'WEEKLY',
    weekday: 'FRIDAY',
    timeOfDay: '17:30',
    timeZone: 'Europe/Berlin',
    format: 'XLSX',
    recipients: [' boss@example.com', 'Boss@Example.com', 'team+reports@acme.io'],
  };
  const fieldOf = (input: ScheduleInput, current?: ReturnType<typeof resolveSettings>) => {
    try {
      resolveSettings(input, current);
    } catch (error) {
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
      return (error as GraphQLError).extensions.field;
    }
    throw new Error('accepted');
  };

  it('accepts a valid schedule, trimming and dropping repeated recipients', () => {
    expect(resolveSettings(valid)).toEqual({
      frequency: 'WEEKLY',
      weekday: 5,
      dayOfMonth: null,
      hour: 17,
      minute: 30,
      timeZone: 'Europe/Berlin',
      format: 'XLSX',
      recipients: ['boss@example.com', 'team+reports@acme.io'],
      isActive: true,
    });
  });

  it.each([
    [{ timeOfDay: '24:00' }, 'input.timeOfDay'],
    [{ timeOfDay: '8:00' }, 'input.timeOfDay'],
    [{ timeZone: 'Mars/Olympus' }, 'input.timeZone'],
    [{ timeZone: '+02:00' }, 'input.timeZone'],
    [{ weekday: null }, 'input.weekday'],
    [{ frequency: 'MONTHLY' as const }, 'input.dayOfMonth'],
    [{ frequency: 'MONTHLY' as const, dayOfMonth: 31 }, 'input.dayOfMonth'],
    [{ recipients: [] }, 'input.recipients'],
    [{ recipients: ['not-an-address'] }, 'input.recipients'],
    [{ recipients: ['a@b.com, c@d.com'] }, 'input.recipients'],
    [{ recipients: ['Boss <boss@example.com>'] }, 'input.recipients'],
    [{ recipients: Array.from({ length: 21 }, (_, i) => `r${i}@example.com`) }, 'input.recipients'],
  ])('refuses %j naming %s', (change, field) => {
    expect(fieldOf({ ...valid, ...change })).toBe(field);
  });

  it('accepts exactly 20 recipients', () => {
    expect(resolveSettings({ ...valid, recipients: Array.from({ length: 20 }, (_, i) => `r${i}@example.com`) }).recipients).toHaveLength(20);
  });

  it('on update keeps what is not given, and asks for the new frequency\'s day when the frequency changes', () => {
    const current = resolveSettings(valid);
    expect(resolveSettings({ timeOfDay: '06:15' }, current)).toEqual({ ...current, hour: 6, minute: 15 });
    expect(resolveSettings({ frequency: 'DAILY' }, current)).toMatchObject({ frequency: 'DAILY', weekday: null, dayOfMonth: null });
    expect(fieldOf({ frequency: 'MONTHLY' }, current)).toBe('input.dayOfMonth');
    expect(resolveSettings({ frequency: 'MONTHLY', dayOfMonth: 28 }, current)).toMatchObject({ weekday: null, dayOfMonth: 28 });
  });
});
