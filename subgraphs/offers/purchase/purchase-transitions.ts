import type { EntityManager } from '@mikro-orm/postgresql';

/** Which of a purchase's two state machines moved: payment (`status`) or delivery (`fulfillmentStatus`). */
export type TransitionKind = 'STATUS' | 'FULFILLMENT';

export interface Transition {
  purchaseId: string;
  kind: TransitionKind;
  from: string | null;
  to: string;
  note?: string | null;
}

/**
 * Records a transition with its time, in the caller's transaction, beside the guarded UPDATE that
 * made it: the history says exactly what happened and when, and nothing that did not.
 */
export async function recordTransition(em: EntityManager, transition: Transition): Promise<void> {
  await em.execute(
    `insert into offer_purchase_transitions (purchase_id, kind, from_state, to_state, note) values (?, ?, ?, ?, ?)`,
    [transition.purchaseId, transition.kind, transition.from, transition.to, transition.note ?? null],
  );
}
