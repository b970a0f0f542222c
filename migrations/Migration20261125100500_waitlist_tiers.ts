import { Migration } from '@mikro-orm/migrations';

/**
 * Waitlist: the tier an organizer sets for one user on one session (the session-wide tier lives in
 * `session_capacities.default_tier`), a contact snapshot so that an offer can be announced before
 * the platform's user record arrives, and an index for the sweeper of expired offers.
 */
export class Migration20261125100500_waitlist_tiers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table waitlist_tier_overrides (
      session_id text not null,
      user_id text not null,
      tier text not null check (tier in ('VIP', 'PREMIUM', 'STANDARD')),
      set_by text not null,
      updated_at timestamptz not null default now(),
      primary key (session_id, user_id)
    );`);
    this.addSql(`alter table waitlist_entries add column contact_email text null, add column contact_name text null;`);
    this.addSql(`create index waitlist_entries_offer_expiry_idx on waitlist_entries (offer_expires_at) where status = 'OFFERED';`);
    this.addSql(`create index waitlist_entries_user_idx on waitlist_entries (user_id, session_id);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists waitlist_entries_user_idx;`);
    this.addSql(`drop index if exists waitlist_entries_offer_expiry_idx;`);
    this.addSql(`alter table waitlist_entries drop column if exists contact_email, drop column if exists contact_name;`);
    this.addSql(`drop table if exists waitlist_tier_overrides;`);
  }
}
