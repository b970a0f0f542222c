import type { MikroORM } from '@mikro-orm/postgresql';
import { pgArray } from '../../../kernel/db/sql';
import type { Logger } from '../../../kernel/logger';
import { ORGANIZER_STEPS, type FulfillmentPipeline } from '../fulfillment';
import type { InventoryNotifier } from '../live';
import type { PaymentSettlement, Settlement } from '../settlement';
import type { ScheduledJob } from './scheduler';

const BATCH = 500;

/**
 * The offers subgraph's scheduled work. Each method is one job, callable directly (tests, an
 * operator) as well as by the scheduler, and safe to run on several replicas at once: rows are
 * claimed with `FOR UPDATE SKIP LOCKED` and every change is guarded by the state it leaves.
 */
export class OfferMaintenance {
  constructor(
    private readonly orm: MikroORM,
    private readonly settlement: PaymentSettlement,
    private readonly fulfillment: FulfillmentPipeline,
    private readonly live: InventoryNotifier,
    private readonly logger: Logger,
  ) {}

  /**
   * RESERVED purchases whose reservation lapsed become EXPIRED and their units go back on sale,
   * in one statement per batch; their payment intents are then cancelled so a late payment
   * cannot go through. Purchases still inside their reservation are not touched.
   */
  async releaseStaleReservations(now = new Date()): Promise<{ released: number }> {
    let released = 0;
    for (;;) {
      const rows = await this.orm.em.fork().execute<
        { id: string; offer_id: string; event_id: string; payment_intent_id: string | null }[]
      >(
        `with stale as (
           select id from offer_purchases
            where status = 'RESERVED' and reservation_expires_at <= ?
            order by reservation_expires_at
            limit ${BATCH}
            for update skip locked
         ), expired as (
           update offer_purchases p set status = 'EXPIRED', updated_at = now()
             from stale where p.id = stale.id and p.status = 'RESERVED'
           returning p.id, p.offer_id, p.event_id, p.quantity, p.payment_intent_id
         ), released as (
           update offers o set reserved = o.reserved - e.quantity, updated_at = now()
             from (select offer_id, sum(quantity)::int as quantity from expired group by offer_id) e
            where o.id = e.offer_id
           returning o.id
         ), history as (
           insert into offer_purchase_transitions (purchase_id, kind, from_state, to_state, note)
           select id, 'STATUS', 'RESERVED', 'EXPIRED', 'The reservation lapsed unpaid.' from expired
         )
         select id, offer_id, event_id, payment_intent_id from expired`,
        [now],
      );
      released += rows.length;
      const settlements: Settlement[] = rows.map((row) => ({
        kind: 'released',
        purchaseId: row.id,
        offerId: row.offer_id,
        eventId: row.event_id,
        paymentIntentId: row.payment_intent_id,
        cancelIntent: true,
      }));
      await this.settlement.afterCommit(settlements);
      if (rows.length < BATCH) break;
    }
    if (released > 0) this.logger.info({ released }, 'stale reservations released');
    return { released };
  }

  /** Active offers whose end has passed are deactivated; nothing else changes. */
  async expireOffers(now = new Date()): Promise<{ expired: number }> {
    const rows = await this.orm.em.fork().execute<{ id: string; event_id: string }[]>(
      `update offers set is_active = false, updated_at = now()
        where is_active and expires_at is not null and expires_at <= ?
        returning id, event_id`,
      [now],
    );
    await this.live.changedAll(rows.map((row) => ({ eventId: row.event_id, offerId: row.id })));
    if (rows.length > 0) this.logger.info({ expired: rows.length }, 'offers past their end expired');
    return { expired: rows.length };
  }

  /**
   * Paid purchases whose fulfillment stalled (the process stopped between payment and delivery)
   * are run again, so no purchase stays PENDING. `olderThanMs` leaves running ones alone.
   */
  async resumeStalledFulfillment(now = new Date(), olderThanMs = 60_000): Promise<{ resumed: number }> {
    const rows = await this.orm.em.fork().execute<{ id: string }[]>(
      // PROCESSING purchases of the types an organizer completes are waiting on a person, not stalled.
      `select p.id from offer_purchases p join offers o on o.id = p.offer_id
        where p.status = 'COMPLETED' and p.updated_at <= ?
          and (p.fulfillment_status = 'PENDING'
               or (p.fulfillment_status = 'PROCESSING' and o.type <> all(?::text[])))
        order by p.updated_at limit ${BATCH}`,
      [new Date(now.getTime() - olderThanMs), pgArray(Object.keys(ORGANIZER_STEPS))],
    );
    for (const row of rows) await this.fulfillment.run(row.id);
    if (rows.length > 0) this.logger.info({ resumed: rows.length }, 'stalled fulfillments resumed');
    return { resumed: rows.length };
  }

  /** The jobs as the scheduler runs them. */
  jobs(intervals: { reservationSweepMs: number; expirySweepMs: number }): ScheduledJob[] {
    return [
      { name: 'release-stale-reservations', everyMs: intervals.reservationSweepMs, run: () => this.releaseStaleReservations() },
      { name: 'resume-stalled-fulfillment', everyMs: intervals.reservationSweepMs, run: () => this.resumeStalledFulfillment() },
      { name: 'expire-offers', everyMs: intervals.expirySweepMs, run: () => this.expireOffers() },
    ];
  }
}
