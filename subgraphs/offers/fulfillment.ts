import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { badUserInput, conflict, notFound } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import type { OfferType } from './entities/offer';
import type { FulfillmentStatus } from './entities/offer-purchase';
import { recordTransition } from './purchase-transitions';

/** What delivering one purchase needs to know. */
export interface FulfillmentJob {
  purchaseId: string;
  offerId: string;
  offerType: OfferType;
  quantity: number;
}

/** The outcome of one stage: a note for the buyer and, when there is one, a tracking reference. */
export interface StageResult {
  note?: string;
  trackingReference?: string;
}

/** One step of delivery: does its work, then the purchase moves to `to`. */
export interface FulfillmentStage {
  to: Exclude<FulfillmentStatus, 'PENDING' | 'FAILED'>;
  perform(job: FulfillmentJob): Promise<StageResult> | StageResult;
}

/** A failure whose message is fit to record and show as the reason (others are recorded generically). */
export class FulfillmentError extends Error {
  override name = 'FulfillmentError';
}

/**
 * How each offer type is delivered, as far as it goes without a person (issue 16: states tell the
 * truth). SERVICE and DIGITAL finish on their own; PHYSICAL and TICKET_UPGRADE stop in PROCESSING
 * and wait for the organizer (see {@link ORGANIZER_STEPS}): nothing is marked shipped or applied
 * that was not.
 */
export const FULFILLMENT_PLANS: Record<OfferType, FulfillmentStage[]> = {
  TICKET_UPGRADE: [{ to: 'PROCESSING', perform: () => ({ note: 'Ticket upgrade requested; it waits for the organizer to confirm it.' }) }],
  PHYSICAL: [{ to: 'PROCESSING', perform: () => ({ note: "Waiting for the organizer to ship it and record the carrier's tracking reference." }) }],
  SERVICE: [
    { to: 'PROCESSING', perform: () => ({ note: 'Service being arranged.' }) },
    { to: 'FULFILLED', perform: () => ({ note: 'Service scheduled.' }) },
  ],
  DIGITAL: [{ to: 'FULFILLED', perform: () => ({ note: 'Delivered digitally.' }) }],
};

/** The types whose last step, PROCESSING → FULFILLED, an organizer takes, and what they record. */
export const ORGANIZER_STEPS = {
  PHYSICAL: 'the carrier\'s tracking reference',
  TICKET_UPGRADE: 'their confirmation that the upgrade is applied',
} as const satisfies Partial<Record<OfferType, string>>;
export type OrganizerStepType = keyof typeof ORGANIZER_STEPS;

const TRACKING_REFERENCE = /^[\x21-\x7e](?:[\x20-\x7e]{0,98}[\x21-\x7e])?$/;
const NOTE_MAX = 500;

const ORDER: Record<FulfillmentStatus, number> = { PENDING: 0, PROCESSING: 1, FULFILLED: 2, FAILED: -1 };

/**
 * Delivers paid purchases stage by stage. Each stage's transition is a status-guarded UPDATE plus
 * a timed history row in one transaction, so two runs for the same purchase (a redelivered webhook
 * and the resume job, say) cannot both advance it: the loser sees the guard fail and stops. A
 * stage that throws marks the purchase FAILED with the reason; {@link retry} runs it again.
 */
export class FulfillmentPipeline {
  constructor(
    private readonly orm: MikroORM,
    private readonly logger: Logger,
    private readonly plans: Record<OfferType, FulfillmentStage[]> = FULFILLMENT_PLANS,
  ) {}

  /** Advances a paid purchase as far as it goes; returns its fulfillment status afterwards. */
  async run(purchaseId: string): Promise<FulfillmentStatus | null> {
    const em = this.orm.em.fork();
    const state = await this.load(em, purchaseId);
    if (!state || state.status !== 'COMPLETED') return state?.fulfillmentStatus ?? null;
    let current = state.fulfillmentStatus;
    for (const stage of this.plans[state.job.offerType]) {
      if (current === 'FAILED' || ORDER[current] >= ORDER[stage.to]) continue;
      let result: StageResult;
      try {
        result = await stage.perform(state.job);
      } catch (error) {
        await this.fail(em, purchaseId, current, error);
        return 'FAILED';
      }
      if (!(await this.advance(em, purchaseId, current, stage.to, result))) {
        // Another run moved it first; its outcome stands.
        return (await this.load(em, purchaseId))?.fulfillmentStatus ?? null;
      }
      current = stage.to;
    }
    return current;
  }

  /** FAILED → PENDING, then runs the pipeline again. CONFLICT unless the fulfillment had failed. */
  async retry(purchaseId: string): Promise<FulfillmentStatus | null> {
    const em = this.orm.em.fork();
    const reset = await em.transactional(async (tx) => {
      const rows = await tx.execute<{ id: string }[]>(
        `update offer_purchases
            set fulfillment_status = 'PENDING', fulfillment_failure_reason = null, updated_at = now()
          where id = ? and status = 'COMPLETED' and fulfillment_status = 'FAILED'
          returning id`,
        [purchaseId],
      );
      if (rows.length === 0) return false;
      await recordTransition(tx, { purchaseId, kind: 'FULFILLMENT', from: 'FAILED', to: 'PENDING', note: 'Retry requested.' });
      return true;
    });
    if (!reset) {
      const state = await this.load(em, purchaseId);
      if (!state) throw notFound('The purchase');
      throw conflict(`Only a failed fulfillment can be retried; this one is ${state.fulfillmentStatus}.`);
    }
    return this.run(purchaseId);
  }

  /**
   * The organizer's step of a PHYSICAL (a carrier's tracking reference) or TICKET_UPGRADE (their
   * confirmation) purchase: PROCESSING → FULFILLED, guarded like every other step and recorded with
   * who took it. BAD_USER_INPUT for a missing or malformed reference; CONFLICT when the purchase is
   * not of `type` or not waiting in PROCESSING.
   */
  async completeByOrganizer(
    purchaseId: string,
    type: OrganizerStepType,
    input: { trackingReference?: string | null; note?: string | null },
    organizerId: string,
  ): Promise<void> {
    const trackingReference = input.trackingReference?.trim() ?? null;
    if (type === 'PHYSICAL' && (!trackingReference || !TRACKING_REFERENCE.test(trackingReference))) {
      throw badUserInput('trackingReference', "trackingReference must be the carrier's reference: 1 to 100 printable ASCII characters.");
    }
    const note = input.note?.trim() || null;
    if (note && note.length > NOTE_MAX) throw badUserInput('note', `note must be at most ${NOTE_MAX} characters.`);
    const shownNote = type === 'PHYSICAL' ? `Shipped; tracking reference ${trackingReference}.${note ? ` ${note}` : ''}` : (note ?? 'Ticket upgrade confirmed by the organizer.');
    const em = this.orm.em.fork();
    const done = await em.transactional(async (tx) => {
      const rows = await tx.execute<{ id: string }[]>(
        `update offer_purchases p
            set fulfillment_status = 'FULFILLED', fulfillment_note = ?, tracking_reference = coalesce(?, p.tracking_reference), updated_at = now()
           from offers o
          where p.id = ? and o.id = p.offer_id and o.type = ? and p.status = 'COMPLETED' and p.fulfillment_status = 'PROCESSING'
          returning p.id`,
        [shownNote, trackingReference, purchaseId, type],
      );
      if (rows.length === 0) return false;
      await recordTransition(tx, { purchaseId, kind: 'FULFILLMENT', from: 'PROCESSING', to: 'FULFILLED', note: `${shownNote} (by ${organizerId})` });
      return true;
    });
    if (!done) {
      const state = await this.load(em, purchaseId);
      if (!state) throw notFound('The purchase');
      if (state.job.offerType !== type) throw conflict(`This purchase is of a ${state.job.offerType} offer, not ${type}.`);
      throw conflict(`Only a paid purchase waiting in PROCESSING can be completed; this one is ${state.status}, fulfillment ${state.fulfillmentStatus}.`);
    }
  }

  private async advance(
    em: EntityManager,
    purchaseId: string,
    from: FulfillmentStatus,
    to: FulfillmentStatus,
    result: StageResult,
  ): Promise<boolean> {
    return em.transactional(async (tx) => {
      const rows = await tx.execute<{ id: string }[]>(
        `update offer_purchases
            set fulfillment_status = ?,
                fulfillment_note = coalesce(?, fulfillment_note),
                tracking_reference = coalesce(?, tracking_reference),
                updated_at = now()
          where id = ? and status = 'COMPLETED' and fulfillment_status = ?
          returning id`,
        [to, result.note ?? null, result.trackingReference ?? null, purchaseId, from],
      );
      if (rows.length === 0) return false;
      await recordTransition(tx, { purchaseId, kind: 'FULFILLMENT', from, to, note: result.note });
      return true;
    });
  }

  private async fail(em: EntityManager, purchaseId: string, from: FulfillmentStatus, error: unknown): Promise<void> {
    const reason =
      error instanceof FulfillmentError ? error.message : 'Unexpected error while fulfilling; details are in the service logs.';
    this.logger.error({ err: error, purchaseId, from }, 'fulfillment failed');
    await em.transactional(async (tx) => {
      const rows = await tx.execute<{ id: string }[]>(
        `update offer_purchases
            set fulfillment_status = 'FAILED', fulfillment_failure_reason = ?, updated_at = now()
          where id = ? and fulfillment_status = ?
          returning id`,
        [reason, purchaseId, from],
      );
      if (rows.length > 0) await recordTransition(tx, { purchaseId, kind: 'FULFILLMENT', from, to: 'FAILED', note: reason });
    });
  }

  private async load(
    em: EntityManager,
    purchaseId: string,
  ): Promise<{ status: string; fulfillmentStatus: FulfillmentStatus; job: FulfillmentJob } | null> {
    const [row] = await em.execute<
      { status: string; fulfillment_status: FulfillmentStatus; offer_id: string; type: OfferType; quantity: number }[]
    >(
      `select p.status, p.fulfillment_status, p.offer_id, o.type, p.quantity
         from offer_purchases p join offers o on o.id = p.offer_id
        where p.id = ?`,
      [purchaseId],
    );
    if (!row) return null;
    return {
      status: row.status,
      fulfillmentStatus: row.fulfillment_status,
      job: { purchaseId, offerId: row.offer_id, offerType: row.type, quantity: row.quantity },
    };
  }
}
