import type { SessionRow } from '../../kernel/platform/access';
import type { SessionCapacity } from './entities/session-capacity';

export interface CapacityView {
  sessionId: string;
  total: number;
  used: number;
  available: number;
  waiting: number;
  offered: number;
  offerable: number;
}

/** People on a session's waitlist who still hold a place in line or an open offer. */
export interface WaitlistCounts {
  waiting: number;
  offered: number;
}

/**
 * A session's capacity: the organizer's setting when there is one, else the platform's capacity
 * with no seat yet taken through the waitlist. `waiting` counts people waiting or holding an open
 * offer; `offerable` is what is left once taken seats and open offers are counted.
 */
export function capacityView(session: SessionRow, stored: Pick<SessionCapacity, 'total' | 'used'> | null, counts: WaitlistCounts): CapacityView {
  const total = stored?.total ?? session.capacity;
  const used = stored?.used ?? 0;
  return {
    sessionId: session.id,
    total,
    used,
    available: Math.max(0, total - used),
    waiting: counts.waiting + counts.offered,
    offered: counts.offered,
    offerable: Math.max(0, total - used - counts.offered),
  };
}
