import { LiveChannels, type MonetizationActivity, type OfferInventoryChange } from '../../kernel/contracts/live-channels';
import { Offer } from '../../subgraphs/offers/entities/offer';
import { eventually, sleep } from '../support/timing';
import { addLiveEvent, collect, livePublisher, MONETIZATION_ACTIVITY, OFFER_INVENTORY, waitForListeners, LiveClients } from '../support/live';
import { startStack, type TestStack } from '../support/stack';


describe('subscriptions whose fields span subgraphs, through the gateway', () => {
  let stack: TestStack;
  let eventId: string;
  let upgrade: Offer;
  let merch: Offer;
  let draft: Offer;
  const clients = new LiveClients();

  beforeAll(async () => {
    stack = await startStack({ env: { SUBSCRIPTION_WINDOW_MS: '400' } });
    ({ eventId } = await addLiveEvent(stack.runtime.orm));
    const em = stack.runtime.orm.em.fork();
    upgrade = new Offer(eventId, 'Backstage upgrade', 'TICKET_UPGRADE', 4900, 'USD');
    upgrade.inventoryTotal = 20;
    merch = new Offer(eventId, 'Summit hoodie', 'PHYSICAL', 3500, 'USD');
    draft = new Offer(eventId, 'Unannounced dinner', 'SERVICE', 9900, 'USD');
    draft.isActive = false;
    await em.persistAndFlush([upgrade, merch, draft]);
  });
  afterAll(async () => {
    await clients.dispose();
    await stack.close();
  });

  const client = (userId?: string) => clients.as(stack.gatewayUrl, userId);

  it('delivers monetization activity with the offer title resolved by the offers subgraph', async () => {
    const organizer = collect(await client('u-staff'), MONETIZATION_ACTIVITY, { eventId });
    await waitForListeners(stack.runtime, 'monetizationActivity', 1);
    const at = '2026-12-01T10:15:00.000Z';
    const purchase: MonetizationActivity = { eventId, kind: 'PurchaseCompleted', at, offerId: upgrade.id, amountCents: 4900, currency: 'USD' };
    const adClick: MonetizationActivity = { eventId, kind: 'AdClicked', at, adId: '00000000-0000-4000-8000-000000000001' };
    await livePublisher(stack.runtime).publish(LiveChannels.monetizationActivity(eventId), purchase);
    await livePublisher(stack.runtime).publish(LiveChannels.monetizationActivity(eventId), adClick);

    await eventually(() => organizer.data.length === 2, 5_000, 'two activities');
    expect(organizer.data.map((result) => result.errors)).toEqual([undefined, undefined]);
    expect(organizer.data[0].data.monetizationActivity).toEqual({
      kind: 'PurchaseCompleted',
      at,
      amount: { amountCents: 4900, currency: 'USD', formatted: '$49.00' },
      offer: { id: upgrade.id, title: 'Backstage upgrade' },
    });
    expect(organizer.data[1].data.monetizationActivity).toEqual({ kind: 'AdClicked', at, amount: null, offer: null });
    organizer.stop();
    await waitForListeners(stack.runtime, 'monetizationActivity', 0);
  });

  it('refuses monetization activity to an attendee of the event with FORBIDDEN', async () => {
    const attendee = collect(await client('u-guest'), MONETIZATION_ACTIVITY, { eventId });
    await attendee.done;
    expect(attendee.errors[0].map((error: any) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('sends the latest inventory once per offer per window, and drafts to organizers only', async () => {
    const organizer = collect(await client('u-owner'), OFFER_INVENTORY, { eventId });
    const attendee = collect(await client('u-guest'), OFFER_INVENTORY, { eventId });
    await waitForListeners(stack.runtime, 'offerInventoryChanged', 2);
    // First the snapshot (subscriptions-snapshot.test.ts): the organizer's three offers, the attendee's two.
    await eventually(() => organizer.data.length === 3 && attendee.data.length === 2, 5_000, 'the snapshots');
    const snapshotIds = (received: typeof organizer) => received.data.splice(0).map((result) => result.data.offerInventoryChanged.offer.id).sort();
    expect(snapshotIds(organizer)).toEqual([upgrade.id, merch.id, draft.id].sort());
    expect(snapshotIds(attendee)).toEqual([upgrade.id, merch.id].sort());

    const publisher = livePublisher(stack.runtime);
    const changed = (offer: Offer): OfferInventoryChange => ({ eventId, offerId: offer.id, at: new Date().toISOString() });
    const em = stack.runtime.orm.em.fork();
    for (const sold of [1, 2, 3]) {
      await em.nativeUpdate(Offer, { id: upgrade.id }, { sold, reserved: 1 });
      await publisher.publish(LiveChannels.offerInventory(eventId), changed(upgrade));
    }
    // A change the organizer has not seen: the draft's row changes too (an offer whose row did not
    // change since the snapshot is not sent again).
    await em.nativeUpdate(Offer, { id: draft.id }, { isActive: false });
    await publisher.publish(LiveChannels.offerInventory(eventId), changed(draft));
    await eventually(() => organizer.data.length >= 2 && attendee.data.length >= 1, 5_000, 'inventory messages');
    await sleep(stack.runtime.config.subscriptions.windowMs + 200);

    const offersOf = (received: typeof organizer) => received.data.map((result) => result.data.offerInventoryChanged.offer);
    expect(offersOf(organizer)).toEqual(
      expect.arrayContaining([
        { id: upgrade.id, title: 'Backstage upgrade', inventory: { total: 20, sold: 3, reserved: 1, available: 16 } },
        { id: draft.id, title: 'Unannounced dinner', inventory: { total: null, sold: 0, reserved: 0, available: null } },
      ]),
    );
    expect(organizer.data).toHaveLength(2);
    expect(offersOf(attendee)).toEqual([{ id: upgrade.id, title: 'Backstage upgrade', inventory: { total: 20, sold: 3, reserved: 1, available: 16 } }]);
  });

  it('lets an anonymous caller follow the offers of a public event, not of a private one', async () => {
    const { eventId: publicEventId } = await addLiveEvent(stack.runtime.orm, { isPublic: true });
    const anonymous = await client();
    const open = collect(anonymous, OFFER_INVENTORY, { eventId: publicEventId });
    const closed = collect(anonymous, OFFER_INVENTORY, { eventId });
    await closed.done;
    expect(closed.errors[0].map((error: any) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    await waitForListeners(stack.runtime, 'offerInventoryChanged', 3);
    expect(open.errors).toEqual([]);
    open.stop();
  });
});
