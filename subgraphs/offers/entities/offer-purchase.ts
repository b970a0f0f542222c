import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';
import { bigintNumber, nullableTimestamptz, timestamptz } from '../../../kernel/db/columns';

export const PURCHASE_STATUSES = ['RESERVED', 'COMPLETED', 'CANCELLED', 'EXPIRED', 'REFUNDED', 'FAILED'] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];
export const FULFILLMENT_STATUSES = ['PENDING', 'PROCESSING', 'FULFILLED', 'FAILED'] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];
/** Who took the money: Stripe, the labelled development simulator, or nobody (free offers). */
export const PAYMENT_PROVIDERS = ['STRIPE', 'SIMULATED', 'NONE'] as const;
export type PaymentProviderKind = (typeof PAYMENT_PROVIDERS)[number];

/** A caller's purchase of an offer: reserved first, completed by payment, then fulfilled. */
export class OfferPurchase {
  id: string = randomUUID();
  status: PurchaseStatus = 'RESERVED';
  fulfillmentStatus: FulfillmentStatus = 'PENDING';
  fulfillmentNote: string | null = null;
  fulfillmentFailureReason: string | null = null;
  paymentProvider: PaymentProviderKind = 'NONE';
  trackingReference: string | null = null;
  paymentIntentId: string | null = null;
  reservationExpiresAt: Date | null = null;
  completedAt: Date | null = null;
  /** What the provider has refunded so far, in the currency's minor units (a full refund equals the total). */
  refundedCents = 0;
  createdAt = new Date();
  updatedAt = new Date();

  constructor(
    public offerId: string,
    public eventId: string,
    public userId: string,
    public quantity: number,
    public unitPriceCents: number,
    public totalCents: number,
    public currency: string,
    public idempotencyKey: string,
  ) {}
}

export const OfferPurchaseSchema = new EntitySchema<OfferPurchase>({
  class: OfferPurchase,
  tableName: 'offer_purchases',
  properties: {
    id: { type: 'uuid', primary: true },
    offerId: { type: 'uuid' },
    eventId: { type: 'string', columnType: 'text' },
    userId: { type: 'string', columnType: 'text' },
    quantity: { type: 'integer' },
    unitPriceCents: bigintNumber(),
    totalCents: bigintNumber(),
    refundedCents: bigintNumber(),
    currency: { type: 'string', columnType: 'char(3)' },
    status: { type: 'string', columnType: 'text' },
    fulfillmentStatus: { type: 'string', columnType: 'text' },
    fulfillmentNote: { type: 'string', columnType: 'text', nullable: true },
    fulfillmentFailureReason: { type: 'string', columnType: 'text', nullable: true },
    paymentProvider: { type: 'string', columnType: 'text' },
    trackingReference: { type: 'string', columnType: 'text', nullable: true },
    paymentIntentId: { type: 'string', columnType: 'text', nullable: true, unique: true },
    idempotencyKey: { type: 'string', columnType: 'text', unique: true },
    reservationExpiresAt: nullableTimestamptz(),
    completedAt: nullableTimestamptz(),
    createdAt: timestamptz(),
    updatedAt: timestamptz({ onUpdate: () => new Date() }),
  },
});
