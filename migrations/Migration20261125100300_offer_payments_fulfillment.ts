import { Migration } from '@mikro-orm/migrations';

/**
 * Offers: which payment provider took a purchase, why its fulfillment failed, a timed history of
 * every status and fulfillment transition, and the indexes the scheduled jobs scan.
 */
export class Migration20261125100300_offer_payments_fulfillment extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table offer_purchases
      add column payment_provider text not null default 'NONE'
        check (payment_provider in ('STRIPE', 'SIMULATED', 'NONE')),
      add column fulfillment_failure_reason text null;`);
    this.addSql(`create table offer_purchase_transitions (
      id bigserial primary key,
      purchase_id uuid not null references offer_purchases (id) on delete cascade,
      kind text not null check (kind in ('STATUS', 'FULFILLMENT')),
      from_state text null,
      to_state text not null,
      note text null,
      at timestamptz not null default clock_timestamp()
    );`);
    this.addSql(`create index offer_purchase_transitions_purchase_idx on offer_purchase_transitions (purchase_id, at);`);
    // The expiry job looks for active offers past their end; the resume job for paid purchases whose fulfillment stalled.
    this.addSql(`create index offers_expiring_idx on offers (expires_at) where is_active and expires_at is not null;`);
    this.addSql(`create index offer_purchases_unfulfilled_idx on offer_purchases (updated_at)
      where status = 'COMPLETED' and fulfillment_status in ('PENDING', 'PROCESSING');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists offer_purchases_unfulfilled_idx;`);
    this.addSql(`drop index if exists offers_expiring_idx;`);
    this.addSql(`drop table if exists offer_purchase_transitions;`);
    this.addSql(`alter table offer_purchases drop column if exists fulfillment_failure_reason, drop column if exists payment_provider;`);
  }
}
