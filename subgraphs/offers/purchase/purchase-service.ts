import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { badUserInput, conflict, notFound, serviceDegraded } from '../../../kernel/errors';
import { publishMonetizationEvent } from '../../../kernel/contracts/monetization-events';
import type { Logger } from '../../../kernel/logger';
import { OfferPurchase } from '../entities/offer-purchase';
import type { FulfillmentPipeline } from './fulfillment';
import { takeUnits, whyUnavailable, type TakenUnits } from './inventory';
import type { InventoryNotifier } from '../live';
import { PaymentUnavailableError, type CreatedPaymentIntent, type PaymentProvider } from '../payments/provider';
import { recordTransition } from './purchase-transitions';
import { checkReservationCap } from './reservation-cap';
import type { PaymentSettlement } from './settlement';

export const MAX_PURCHASE_QUANTITY = 20;

/** What `purchaseOffer` answers. */
export interface PurchaseOutcome {
  clientSecret: string | null;
  purchase: OfferPurchase;
}

export interface PurchaseServiceOptions {
  orm: MikroORM;
  payments: PaymentProvider;
  settlement: PaymentSettlement;
  fulfillment: FulfillmentPipeline;
  live: InventoryNotifier;
  logger: Logger;
  reservationTtlMinutes: number;
  /** Units one user may hold in open reservations of one offer (at most the purchase maximum). */
  maxReservedUnitsPerUser: number;
}

/**
 * The one place that decides whether a purchase happens. Access to the offer's event is checked
 * by the shield rule before this runs; here: the quantity, then one atomic statement that takes
 * the units (never more than there are), the purchase row in the same transaction, and only
 * after that commits, the payment intent. If the provider fails, the units go back at once.
 */
export class PurchaseService {
  constructor(private readonly options: PurchaseServiceOptions) {}

  async purchase(buyerId: string, offerId: string, quantity: number): Promise<PurchaseOutcome> {
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_PURCHASE_QUANTITY) {
      throw badUserInput('quantity', `quantity must be a whole number from 1 to ${MAX_PURCHASE_QUANTITY}.`);
    }
    const { orm, live, payments } = this.options;
    const { purchase, units } = await orm.em.fork().transactional((tx) => this.reserve(tx, buyerId, offerId, quantity));
    await live.changed(units.eventId, units.offerId);

    if (units.sold) {
      // The purchase is complete whatever happens to delivery; a stalled one is resumed by the job.
      await this.options.fulfillment.run(purchase.id).catch((error) => {
        this.options.logger.error({ err: error, purchaseId: purchase.id }, 'fulfillment could not start; the resume job retries it');
      });
      return { clientSecret: null, purchase: await this.reload(purchase.id) };
    }

    let intent: CreatedPaymentIntent;
    try {
      intent = await payments.createPaymentIntent({
        purchaseId: purchase.id,
        offerId,
        eventId: units.eventId,
        userId: buyerId,
        amountCents: purchase.totalCents,
        currency: purchase.currency,
        idempotencyKey: purchase.idempotencyKey,
        description: `${units.title} × ${quantity}`,
      });
    } catch (error) {
      await this.options.settlement.release(
        { purchaseId: purchase.id },
        'FAILED',
        error instanceof PaymentUnavailableError ? 'The payment provider was unavailable.' : 'Creating the payment failed.',
      );
      if (error instanceof PaymentUnavailableError) {
        throw serviceDegraded('Payments are unavailable right now; nothing was charged or reserved. Please try again shortly.');
      }
      // The provider refused the payment itself (an amount under its minimum, a currency it does
      // not take): the reservation is released, and the buyer learns that payment failed.
      this.options.logger.error({ err: error, purchaseId: purchase.id }, 'the payment provider refused to create the payment');
      throw serviceDegraded('The payment could not be started; nothing was charged or reserved.');
    }
    await orm.em
      .fork()
      .execute(`update offer_purchases set payment_intent_id = ?, updated_at = now() where id = ?`, [intent.id, purchase.id]);
    if (intent.settled) await this.options.settlement.complete({ purchaseId: purchase.id, paymentIntentId: intent.id });
    return { clientSecret: intent.clientSecret, purchase: await this.reload(purchase.id) };
  }

  /** The reservation transaction: the units, the purchase row and its history commit together. */
  private async reserve(
    tx: EntityManager,
    buyerId: string,
    offerId: string,
    quantity: number,
  ): Promise<{ purchase: OfferPurchase; units: TakenUnits }> {
    const units = await takeUnits(tx, offerId, quantity);
    if (!units) throw refusal(await whyUnavailable(tx, offerId));
    if (!units.sold) await checkReservationCap(tx, buyerId, offerId, quantity, Math.min(this.options.maxReservedUnitsPerUser, MAX_PURCHASE_QUANTITY));
    const total = units.priceCents * quantity;
    const purchase = new OfferPurchase(offerId, units.eventId, buyerId, quantity, units.priceCents, total, units.currency, '');
    // One key for every attempt of this purchase: a retried request can never charge twice.
    purchase.idempotencyKey = `purchase:${purchase.id}`;
    if (units.sold) {
      purchase.status = 'COMPLETED';
      purchase.completedAt = new Date();
      purchase.paymentProvider = 'NONE';
      publishMonetizationEvent(tx, 'PurchaseCompleted', {
        eventId: units.eventId,
        offerId,
        userId: buyerId,
        quantity,
        amountCents: 0,
        currency: units.currency,
        offerTitle: units.title,
      });
    } else {
      purchase.paymentProvider = this.options.payments.kind;
      purchase.reservationExpiresAt = new Date(Date.now() + this.options.reservationTtlMinutes * 60_000);
    }
    tx.persist(purchase);
    await tx.flush();
    await recordTransition(tx, {
      purchaseId: purchase.id,
      kind: 'STATUS',
      from: null,
      to: purchase.status,
      note: units.sold ? 'Free offer: completed at once.' : `Reserved until ${purchase.reservationExpiresAt!.toISOString()}.`,
    });
    return { purchase, units };
  }

  private reload(purchaseId: string): Promise<OfferPurchase> {
    return this.options.orm.em.fork().findOneOrFail(OfferPurchase, purchaseId);
  }
}

function refusal(why: Awaited<ReturnType<typeof whyUnavailable>>) {
  switch (why.reason) {
    case 'NOT_FOUND':
      return notFound('The offer');
    case 'NOT_ON_SALE': {
      // A draft is not shown to attendees; refusing it as "not on sale" would say it exists.
      if (why.detail === 'INACTIVE') return notFound('The offer');
      const sentence = {
        INACTIVE: 'The offer is not on sale.',
        NOT_STARTED: 'The offer is not on sale yet.',
        EXPIRED: 'The offer has expired.',
      }[why.detail];
      return conflict(sentence, { reason: why.detail });
    }
    case 'SOLD_OUT':
      return conflict(
        why.available === 0 ? 'The offer is sold out.' : `Only ${why.available} left: the offer cannot supply that many.`,
        { reason: 'SOLD_OUT', available: why.available },
      );
  }
}
