import { Migration } from '@mikro-orm/migrations';

/**
 * Versions for live subscriptions' snapshots (issue 15). A subscriber reads a snapshot, then hears
 * changes published after commit; a change must be counted once, in the snapshot or in a later
 * message. Versions committed with the change tell which: `live_versions` counts a key's
 * transactions (one bump per transaction, under the row's lock, so versions follow commit order),
 * and `offers.live_version` counts an offer's row versions (a trigger, so every writer of offers
 * bumps it without knowing about subscriptions).
 */
export class Migration20261130220000_live_versions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table live_versions (key text primary key, version bigint not null check (version >= 0));`);
    this.addSql(`alter table offers add column live_version bigint not null default 1;`);
    this.addSql(`create function offers_bump_live_version() returns trigger language plpgsql as $$
      begin
        new.live_version := old.live_version + 1;
        return new;
      end
    $$;`);
    this.addSql(`create trigger offers_live_version before update on offers for each row execute function offers_bump_live_version();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists offers_live_version on offers;`);
    this.addSql(`drop function if exists offers_bump_live_version();`);
    this.addSql(`alter table offers drop column if exists live_version;`);
    this.addSql(`drop table if exists live_versions;`);
  }
}
