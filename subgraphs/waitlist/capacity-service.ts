import type { SessionRow } from '../../kernel/platform/access';
import type { SessionCapacity } from './entities/session-capacity';

export interface CapacityView {
  sessionId: string;
  total: number;
  used: number;
  available: number;
  waiting: number;
}

/**
 * A session's capacity: the organizer's setting when there is one, else the platform's capacity
 * with no seat yet taken through the waitlist.
 */
export function capacityView(session: SessionRow, stored: SessionCapacity | null, waiting: number): CapacityView {
  const total = stored?.total ?? session.capacity;
  const used = stored?.used ?? 0;
  return { sessionId: session.id, total, used, available: Math.max(0, total - used), waiting };
}
