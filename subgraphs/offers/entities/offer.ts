import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';
import { bigintNumber, nullableTimestamptz, timestamptz } from '../../../kernel/db/columns';

export const OFFER_TYPES = ['TICKET_UPGRADE', 'PHYSICAL', 'SERVICE', 'DIGITAL'] as const;
export type OfferType = (typeof OFFER_TYPES)[number];

/** An upsell sold during an event. Inventory is counted in place: `sold + reserved <= inventoryTotal`. */
export class Offer {
  id: string = randomUUID();
  description: string | null = null;
  imageUrl: string | null = null;
  originalPriceCents: number | null = null;
  inventoryTotal: number | null = null;
  sold = 0;
  reserved = 0;
  placement: string | null = null;
  isActive = true;
  startsAt: Date | null = null;
  expiresAt: Date | null = null;
  createdAt = new Date();
  updatedAt = new Date();
  /** Bumped by a trigger on every update of the row: which state of the offer a live subscriber has seen. */
  liveVersion = 1;

  constructor(
    public eventId: string,
    public title: string,
    public type: OfferType,
    public priceCents: number,
    public currency: string,
  ) {}
}

export const OfferSchema = new EntitySchema<Offer>({
  class: Offer,
  tableName: 'offers',
  properties: {
    id: { type: 'uuid', primary: true },
    eventId: { type: 'string', columnType: 'text' },
    title: { type: 'string', length: 200 },
    description: { type: 'string', length: 5000, nullable: true },
    type: { type: 'string', columnType: 'text' },
    imageUrl: { type: 'string', length: 2048, nullable: true },
    priceCents: bigintNumber(),
    originalPriceCents: bigintNumber({ nullable: true }),
    currency: { type: 'string', columnType: 'char(3)' },
    inventoryTotal: { type: 'integer', nullable: true },
    sold: { type: 'integer' },
    reserved: { type: 'integer' },
    placement: { type: 'string', columnType: 'text', nullable: true },
    isActive: { type: 'boolean' },
    startsAt: nullableTimestamptz(),
    expiresAt: nullableTimestamptz(),
    createdAt: timestamptz(),
    updatedAt: timestamptz({ onUpdate: () => new Date() }),
    liveVersion: { ...bigintNumber(), fieldName: 'live_version' },
  },
});
