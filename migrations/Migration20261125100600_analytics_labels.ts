import { Migration } from '@mikro-orm/migrations';

/**
 * Analytics keeps the offer title and ad name a monetization message carried, so that exports can
 * name what they count: analytics cannot ask the offers or ads subgraphs while building a file.
 * Bounded like the ads' names, so a hostile producer cannot bloat the table.
 */
export class Migration20261125100600_analytics_labels extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table monetization_events
      add column offer_title text null check (offer_title is null or char_length(offer_title) <= 300),
      add column ad_name text null check (ad_name is null or char_length(ad_name) <= 300);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table monetization_events drop column if exists offer_title, drop column if exists ad_name;`);
  }
}
