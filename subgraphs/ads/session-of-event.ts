import { badUserInput } from '../../kernel/errors';
import type { EventAccess } from '../../kernel/platform/access';

/**
 * The one rule for sessions named with an ad (targeting, serving, tracking): each must be a
 * session of the ad's event. Refused as BAD_USER_INPUT naming `field`.
 */
export async function checkSessionsOfEvent(
  access: EventAccess,
  eventId: string,
  field: string,
  sessionIds: readonly string[],
): Promise<void> {
  const stranger = await access.firstSessionNotOf(eventId, sessionIds);
  if (stranger !== undefined) {
    throw badUserInput(field, `${field} must name sessions of the event; ${JSON.stringify(stranger.slice(0, 80))} is not one.`);
  }
}
