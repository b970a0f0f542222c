import { Migration } from '@mikro-orm/migrations';

/**
 * Scheduled monetization reports (issue 21). A schedule says when (frequency, local time in an IANA
 * zone) and to whom; `next_run_at` is the next instant it is due, kept in UTC. A delivery is one
 * report of one period: scheduled ones are unique per (schedule, period), which is what makes a
 * period delivered once whatever the number of replicas, restarts or catch-up passes.
 * The CHECK constraints restate the API's rules.
 */
export class Migration20261130000000_report_schedules extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table report_schedules (
      id uuid primary key,
      event_id text not null,
      frequency text not null check (frequency in ('DAILY', 'WEEKLY', 'MONTHLY')),
      weekday smallint null check (weekday between 1 and 7),
      day_of_month smallint null check (day_of_month between 1 and 28),
      hour smallint not null check (hour between 0 and 23),
      minute smallint not null check (minute between 0 and 59),
      time_zone text not null check (char_length(time_zone) between 1 and 64),
      format text not null check (format in ('CSV', 'XLSX')),
      recipients text[] not null check (cardinality(recipients) between 1 and 20),
      is_active boolean not null default true,
      next_run_at timestamptz not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((frequency = 'WEEKLY') = (weekday is not null)),
      check ((frequency = 'MONTHLY') = (day_of_month is not null))
    );`);
    this.addSql(`create index report_schedules_event_idx on report_schedules (event_id, created_at);`);
    this.addSql(`create index report_schedules_due_idx on report_schedules (next_run_at) where is_active;`);

    this.addSql(`create table report_deliveries (
      id uuid primary key,
      schedule_id uuid not null references report_schedules (id) on delete cascade,
      event_id text not null,
      trigger text not null check (trigger in ('SCHEDULED', 'MANUAL')),
      scheduled_for timestamptz not null,
      period_from date not null,
      period_to date not null,
      period_start timestamptz not null,
      period_end timestamptz not null,
      status text not null check (status in ('PENDING', 'QUEUED', 'FAILED')),
      attempts integer not null default 0,
      failure_reason text null check (failure_reason is null or char_length(failure_reason) <= 1000),
      format text null check (format is null or format in ('CSV', 'XLSX')),
      recipients text[] null,
      filename text null,
      content_type text null,
      byte_length integer null,
      message_id text null,
      outbox_message_id uuid null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      queued_at timestamptz null,
      check (period_from <= period_to and period_start < period_end)
    );`);
    this.addSql(`create unique index report_deliveries_period_uq on report_deliveries (schedule_id, period_start, period_end)
      where trigger = 'SCHEDULED';`);
    this.addSql(`create index report_deliveries_schedule_idx on report_deliveries (schedule_id, created_at desc);`);
    this.addSql(`create index report_deliveries_pending_idx on report_deliveries (created_at) where status = 'PENDING';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists report_deliveries;`);
    this.addSql(`drop table if exists report_schedules;`);
  }
}
