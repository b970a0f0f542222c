import type { Identity } from '../../kernel/auth/identity';
import type { EventAccess } from '../../kernel/platform/access';

/**
 * Who may queue for a seat (join, and later accept or decline the offer): the contract's "an
 * authenticated caller registered for the event, or any authenticated caller for a public event".
 * `hidden` when the caller may not even see the event (answered NOT_FOUND), `forbidden` when they
 * can see it without being an attendee (an organizer of a private event).
 */
export async function mayQueue(
  access: EventAccess,
  identity: Identity | null,
  eventId: string,
): Promise<'allowed' | 'hidden' | 'forbidden'> {
  const event = await access.events.load(eventId);
  if (!event || !identity) return 'hidden';
  if (event.isPublic) return 'allowed';
  if (await access.registrations.load(eventId)) return 'allowed';
  return (await access.canAccessEvent(eventId)) ? 'forbidden' : 'hidden';
}
