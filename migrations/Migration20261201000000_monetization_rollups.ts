import { Migration } from '@mikro-orm/migrations';

/**
 * Rollups of monetization facts (issue 19): one row per event, UTC day, fact type, offer, ad and
 * currency, with the facts' count, units and summed amounts, and the latest offer title and ad name
 * with when they were published. Ingestion adds each newly stored fact to its row in the same
 * statement as the fact's insert (`subgraphs/analytics/ingestion/store-fact.ts`), so analytics reads
 * a few rows per offer, ad and day whatever the history; the raw facts stay for exports and audits.
 * Amounts are kept per currency because amounts in different currencies cannot be added.
 */
export class Migration20261201000000_monetization_rollups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table monetization_rollups (
      event_id text not null,
      event_type text not null,
      day date not null,
      offer_id uuid null,
      ad_id uuid null,
      currency char(3) null,
      count bigint not null check (count > 0),
      units bigint not null,
      amount_cents bigint not null,
      offer_title text null,
      offer_title_at timestamptz null,
      ad_name text null,
      ad_name_at timestamptz null,
      constraint monetization_rollups_key unique nulls not distinct (event_id, event_type, day, offer_id, ad_id, currency)
    );`);
    // The facts already stored, in one pass; ties on a label's time keep any one of the tied labels,
    // as the raw query did.
    this.addSql(`insert into monetization_rollups
        (event_id, event_type, day, offer_id, ad_id, currency, count, units, amount_cents,
         offer_title, offer_title_at, ad_name, ad_name_at)
      select event_id, event_type, (created_at at time zone 'UTC')::date, offer_id, ad_id, currency,
             count(*), sum(coalesce(quantity, 1)), coalesce(sum(amount_cents), 0),
             (array_agg(offer_title order by created_at desc) filter (where offer_title is not null))[1],
             max(created_at) filter (where offer_title is not null),
             (array_agg(ad_name order by created_at desc) filter (where ad_name is not null))[1],
             max(created_at) filter (where ad_name is not null)
        from monetization_events
       group by event_id, event_type, (created_at at time zone 'UTC')::date, offer_id, ad_id, currency;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists monetization_rollups;`);
  }
}
