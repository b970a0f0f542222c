import { LiveChannels, type OfferInventoryChange } from '../../kernel/contracts/live-channels';
import { type LiveEventPublisher } from '../../kernel/live/live-publisher';

/**
 * Tells live subscribers that an offer's inventory (or listing) changed. Called after the change
 * commits; a lost message costs a dashboard one refresh, never data.
 */
export class InventoryNotifier {
  constructor(private readonly publisher: LiveEventPublisher) {}

  async changed(eventId: string, offerId: string): Promise<void> {
    const change: OfferInventoryChange = { eventId, offerId, at: new Date().toISOString() };
    await this.publisher.publish(LiveChannels.offerInventory(eventId), change);
  }

  /** One message per distinct offer, for batch changes such as the scheduled jobs'. */
  async changedAll(changes: { eventId: string; offerId: string }[]): Promise<void> {
    const distinct = new Map(changes.map((change) => [change.offerId, change]));
    await Promise.all([...distinct.values()].map((change) => this.changed(change.eventId, change.offerId)));
  }
}
