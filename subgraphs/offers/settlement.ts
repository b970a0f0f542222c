import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { publishMonetizationEvent } from '../../kernel/events/monetization';
import { isUuid } from '../../kernel/ids';
import { toDecimalText } from '../../kernel/money';
import type { Logger } from '../../kernel/logger';
import type { PurchaseStatus } from './entities/offer-purchase';
import type { FulfillmentPipeline } from './fulfillment';
import { releaseReservedUnits, sellReservedUnits } from './inventory';
import type { InventoryNotifier } from './live';
import type { PaymentProvider } from './payments/provider';
import { recordTransition } from './purchase-transitions';

/** How a payment names its purchase: Stripe's metadata carries our id, the intent id is stored on the row. */
export interface PaymentReference {
  purchaseId?: string | null;
  paymentIntentId?: string | null;
  /** What the provider says was paid; checked against the purchase when given. */
  amountCents?: number;
  currency?: string;
}

export type ReleaseStatus = Extract<PurchaseStatus, 'FAILED' | 'CANCELLED' | 'EXPIRED'>;

/** What a settlement changed, for the work that must wait until it commits. */
export type Settlement =
  | { kind: 'completed'; purchaseId: string; offerId: string; eventId: string }
  | { kind: 'released'; purchaseId: string; offerId: string; eventId: string; paymentIntentId: string | null; cancelIntent: boolean }
  | { kind: 'refunded'; purchaseId: string; offerId: string; eventId: string }
  | { kind: 'unchanged' };

interface SettledRow {
  id: string;
  offer_id: string;
  event_id: string;
  user_id: string;
  quantity: number;
  total_cents: string | number;
  currency: string;
  payment_intent_id: string | null;
}

/**
 * Moves purchases out of RESERVED, exactly once. Every move is an UPDATE guarded by
 * `status = 'RESERVED'`, so duplicated or out-of-order payment events cannot apply twice, and a
 * payment reported after the reservation was released never brings the units back.
 */
export class PaymentSettlement {
  constructor(
    private readonly orm: MikroORM,
    private readonly payments: PaymentProvider,
    private readonly fulfillment: FulfillmentPipeline,
    private readonly live: InventoryNotifier,
    private readonly logger: Logger,
  ) {}

  /**
   * In the caller's transaction: RESERVED → COMPLETED, reserved units → sold, and a
   * PurchaseCompleted monetization event in the outbox.
   */
  async completeIn(tx: EntityManager, ref: PaymentReference): Promise<Settlement> {
    const purchaseId = ref.purchaseId && isUuid(ref.purchaseId) ? ref.purchaseId : null;
    const rows = await tx.execute<SettledRow[]>(
      `update offer_purchases
          set status = 'COMPLETED', completed_at = now(), updated_at = now(),
              payment_intent_id = coalesce(payment_intent_id, ?)
        where status = 'RESERVED'
          and (id = ?::uuid or payment_intent_id = ?)
          and (payment_intent_id is null or ?::text is null or payment_intent_id = ?)
          and (?::bigint is null or total_cents = ?::bigint)
          and (?::text is null or lower(currency) = lower(?::text))
        returning id, offer_id, event_id, user_id, quantity, total_cents, currency, payment_intent_id`,
      [
        ref.paymentIntentId ?? null,
        purchaseId,
        ref.paymentIntentId ?? null,
        ref.paymentIntentId ?? null,
        ref.paymentIntentId ?? null,
        ref.amountCents ?? null,
        ref.amountCents ?? null,
        ref.currency ?? null,
        ref.currency ?? null,
      ],
    );
    const row = rows[0];
    if (!row) {
      await this.explainUnsettled(tx, purchaseId, ref, 'COMPLETED');
      return { kind: 'unchanged' };
    }
    const { title } = await sellReservedUnits(tx, row.offer_id, row.quantity);
    await recordTransition(tx, { purchaseId: row.id, kind: 'STATUS', from: 'RESERVED', to: 'COMPLETED', note: 'Payment received.' });
    publishMonetizationEvent(tx, 'PurchaseCompleted', {
      eventId: row.event_id,
      offerId: row.offer_id,
      userId: row.user_id,
      quantity: row.quantity,
      amountCents: Number(row.total_cents),
      currency: row.currency.trim(),
      offerTitle: title,
    });
    return { kind: 'completed', purchaseId: row.id, offerId: row.offer_id, eventId: row.event_id };
  }

  /**
   * In the caller's transaction: RESERVED → `to` and the reserved units back on sale.
   * `cancelIntent` asks for the provider's intent to be cancelled after commit, so the buyer
   * cannot pay for units that are no longer held.
   */
  async releaseIn(
    tx: EntityManager,
    ref: PaymentReference,
    to: ReleaseStatus,
    note: string,
    options: { cancelIntent: boolean },
  ): Promise<Settlement> {
    const purchaseId = ref.purchaseId && isUuid(ref.purchaseId) ? ref.purchaseId : null;
    const rows = await tx.execute<SettledRow[]>(
      `update offer_purchases
          set status = ?, updated_at = now()
        where status = 'RESERVED'
          and (id = ?::uuid or payment_intent_id = ?)
          and (payment_intent_id is null or ?::text is null or payment_intent_id = ?)
        returning id, offer_id, event_id, user_id, quantity, total_cents, currency, payment_intent_id`,
      [to, purchaseId, ref.paymentIntentId ?? null, ref.paymentIntentId ?? null, ref.paymentIntentId ?? null],
    );
    const row = rows[0];
    if (!row) return { kind: 'unchanged' };
    await releaseReservedUnits(tx, row.offer_id, row.quantity);
    await recordTransition(tx, { purchaseId: row.id, kind: 'STATUS', from: 'RESERVED', to, note });
    return {
      kind: 'released',
      purchaseId: row.id,
      offerId: row.offer_id,
      eventId: row.event_id,
      paymentIntentId: row.payment_intent_id,
      cancelIntent: options.cancelIntent,
    };
  }

  /**
   * In the caller's transaction: Stripe's cumulative refunded amount applied to a COMPLETED
   * purchase. Only the part not yet applied counts, so a repeated or reordered event changes
   * nothing. A partial refund lowers the purchase's net amount and publishes PurchaseRefunded for
   * that part with no units (analytics revenue drops by it, units stay sold); refunding the rest
   * turns the purchase REFUNDED, puts its units back on sale and publishes the rest with the units.
   */
  async refundIn(tx: EntityManager, ref: PaymentReference & { refundedCents: number }): Promise<Settlement> {
    if (!ref.paymentIntentId || !(ref.refundedCents > 0)) return { kind: 'unchanged' };
    const rows = await tx.execute<(SettledRow & { previous_refunded: string | number; refunded_cents: string | number })[]>(
      `with target as (
         select id, refunded_cents from offer_purchases
          where status = 'COMPLETED' and payment_intent_id = ? for update
       )
       update offer_purchases p
          set refunded_cents = least(?::bigint, p.total_cents),
              status = case when ?::bigint >= p.total_cents then 'REFUNDED' else p.status end,
              updated_at = now()
         from target
        where p.id = target.id and least(?::bigint, p.total_cents) > target.refunded_cents
        returning p.id, p.offer_id, p.event_id, p.user_id, p.quantity, p.total_cents, p.currency, p.payment_intent_id,
                  p.refunded_cents, target.refunded_cents as previous_refunded`,
      [ref.paymentIntentId, ref.refundedCents, ref.refundedCents, ref.refundedCents],
    );
    const row = rows[0];
    if (!row) return { kind: 'unchanged' };
    const refunded = Number(row.refunded_cents);
    const newlyRefunded = refunded - Number(row.previous_refunded);
    const full = refunded >= Number(row.total_cents);
    const currency = row.currency.trim();
    const offers = full
      ? await tx.execute<{ title: string }[]>(
          `update offers set sold = greatest(sold - ?, 0), updated_at = now() where id = ? returning title`,
          [row.quantity, row.offer_id],
        )
      : await tx.execute<{ title: string }[]>(`select title from offers where id = ?`, [row.offer_id]);
    const amount = toDecimalText({ amountCents: newlyRefunded, currency });
    await recordTransition(tx, {
      purchaseId: row.id,
      kind: 'STATUS',
      from: 'COMPLETED',
      to: full ? 'REFUNDED' : 'COMPLETED',
      note: full ? `Payment refunded (the last ${amount} ${currency}).` : `Partly refunded: ${amount} ${currency}.`,
    });
    publishMonetizationEvent(tx, 'PurchaseRefunded', {
      eventId: row.event_id,
      offerId: row.offer_id,
      userId: row.user_id,
      quantity: full ? row.quantity : 0,
      amountCents: newlyRefunded,
      currency,
      offerTitle: offers[0]?.title,
    });
    return full ? { kind: 'refunded', purchaseId: row.id, offerId: row.offer_id, eventId: row.event_id } : { kind: 'unchanged' };
  }

  /** Completes a purchase in its own transaction, then does the follow-up work. */
  async complete(ref: PaymentReference): Promise<Settlement> {
    const settlement = await this.orm.em.fork().transactional((tx) => this.completeIn(tx, ref));
    await this.afterCommit([settlement]);
    return settlement;
  }

  /** Releases a reservation in its own transaction, then does the follow-up work. */
  async release(ref: PaymentReference, to: ReleaseStatus, note: string, options = { cancelIntent: false }): Promise<Settlement> {
    const settlement = await this.orm.em.fork().transactional((tx) => this.releaseIn(tx, ref, to, note, options));
    await this.afterCommit([settlement]);
    return settlement;
  }

  /**
   * What must wait for the commit: live inventory messages, fulfillment of completed purchases,
   * and cancelling the provider's intents of released ones. Failures here are logged, never
   * undo the settlement: the resume job picks up fulfillment, and an intent left open expires.
   */
  async afterCommit(settlements: Settlement[]): Promise<void> {
    const changed = settlements.filter((settlement) => settlement.kind !== 'unchanged');
    await this.live.changedAll(changed);
    for (const settlement of changed) {
      if (settlement.kind === 'completed') {
        await this.fulfillment.run(settlement.purchaseId).catch((error) => {
          this.logger.error({ err: error, purchaseId: settlement.purchaseId }, 'fulfillment could not start; the resume job retries it');
        });
      } else if (settlement.kind === 'released' && settlement.cancelIntent && settlement.paymentIntentId) {
        await this.payments.cancelPaymentIntent(settlement.paymentIntentId).catch((error) => {
          this.logger.warn({ err: error, paymentIntentId: settlement.paymentIntentId }, 'could not cancel the payment intent');
        });
      }
    }
  }

  /** A payment that settled nothing: a duplicate, an unknown intent, or money for units no longer held. */
  private async explainUnsettled(tx: EntityManager, purchaseId: string | null, ref: PaymentReference, wanted: string): Promise<void> {
    const [row] = await tx.execute<{ id: string; status: PurchaseStatus; total_cents: string | number; currency: string }[]>(
      `select id, status, total_cents, currency from offer_purchases where id = ?::uuid or payment_intent_id = ? limit 1`,
      [purchaseId, ref.paymentIntentId ?? null],
    );
    if (!row) {
      this.logger.warn({ ref }, 'payment for an unknown purchase ignored');
      return;
    }
    if (row.status === wanted) return;
    if (row.status === 'RESERVED') {
      this.logger.error({ ref, purchaseId: row.id, expected: { totalCents: row.total_cents, currency: row.currency } }, 'payment does not match its purchase; not completed');
      return;
    }
    // The units went back on sale (payment failed, cancelled or expired) before the money arrived:
    // they are not taken back from whoever bought them since. The payment must be refunded.
    this.logger.error({ ref, purchaseId: row.id, status: row.status }, 'payment received after the reservation was released; refund it');
    await recordTransition(tx, {
      purchaseId: row.id,
      kind: 'STATUS',
      from: row.status,
      to: row.status,
      note: `Payment ${ref.paymentIntentId ?? ''} succeeded after the reservation was released; refund due.`,
    });
  }
}
