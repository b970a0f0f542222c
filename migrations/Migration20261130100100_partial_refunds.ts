import { Migration } from '@mikro-orm/migrations';

/**
 * What Stripe has refunded of a purchase so far (`charge.amount_refunded`, cumulative), so a
 * partial refund lowers the purchase's net amount and analytics revenue by exactly the new part
 * (issue 16). A full refund still turns the purchase REFUNDED.
 */
export class Migration20261130100100_partial_refunds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table offer_purchases
      add column refunded_cents bigint not null default 0
        check (refunded_cents >= 0 and refunded_cents <= total_cents);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table offer_purchases drop column if exists refunded_cents;`);
  }
}
