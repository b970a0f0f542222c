import { createEnvelope, type Envelope } from '../../kernel/events/envelope';
import { MONETIZATION_TOPIC } from '../../kernel/contracts/monetization-events';
import type { Logger } from '../../kernel/logger';
import { parseFact } from '../../subgraphs/analytics/ingestion/fact';
import { ingestMonetizationMessage } from '../../subgraphs/analytics/ingestion/ingest';

const OFFER = '3f0c8a5e-1c2b-4d3e-9f00-0123456789ab';

describe('reading monetization messages', () => {
  it('reads a well-formed purchase, upper-casing the currency and bounding the title', () => {
    const envelope = createEnvelope('PurchaseCompleted', {
      eventId: 'ev-1',
      offerId: OFFER.toUpperCase(),
      quantity: 2,
      amountCents: 1000,
      currency: 'usd',
      offerTitle: `  ${'t'.repeat(400)}  `,
    });
    const parsed = parseFact(envelope);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.fact).toMatchObject({ id: envelope.id, type: 'PurchaseCompleted', offerId: OFFER, currency: 'USD', quantity: 2 });
    expect(parsed.fact.offerTitle).toHaveLength(300);
  });

  it.each<[string, Envelope]>([
    ['an unknown type', createEnvelope('OfferShared', { eventId: 'ev-1' })],
    ['no event id', createEnvelope('OfferViewed', { offerId: OFFER })],
    ['an offer id that is not a UUID', createEnvelope('OfferViewed', { eventId: 'ev-1', offerId: '42' })],
    ['a negative amount', createEnvelope('PurchaseCompleted', { eventId: 'ev-1', amountCents: -1 })],
    ['a fractional quantity', createEnvelope('PurchaseCompleted', { eventId: 'ev-1', quantity: 1.5 })],
    ['a bad currency', createEnvelope('PurchaseCompleted', { eventId: 'ev-1', amountCents: 1, currency: 'dollars' })],
    ['a bad time', { ...createEnvelope('OfferViewed', { eventId: 'ev-1' }), occurredAt: 'yesterday' }],
  ])('refuses %s', (_label, envelope) => {
    expect(parseFact(envelope).ok).toBe(false);
  });

  it('skips a malformed message with a warning, without touching the database or the live channel', async () => {
    const warn = jest.fn();
    const publish = jest.fn();
    const execute = jest.fn();
    const outcome = await ingestMonetizationMessage(
      { execute } as never,
      { publish },
      { warn } as unknown as Logger,
      { topic: MONETIZATION_TOPIC, key: 'ev-1', envelope: createEnvelope('OfferViewed', { eventId: 'ev-1', offerId: 'nope' }) },
    );
    expect(outcome).toBe('skipped');
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ reason: expect.stringContaining('offerId') }), 'skipping a malformed monetization message');
    expect(execute).not.toHaveBeenCalled();
    expect(publish).not.toHaveBeenCalled();
  });

  it('publishes live activity only for a first delivery', async () => {
    const publish = jest.fn();
    const envelope = createEnvelope('OfferViewed', { eventId: 'ev-1', offerId: OFFER });
    const message = { topic: MONETIZATION_TOPIC, key: 'ev-1', envelope };
    const first = await ingestMonetizationMessage({ execute: async () => [{ id: envelope.id }] } as never, { publish }, {} as Logger, message);
    const again = await ingestMonetizationMessage({ execute: async () => [] } as never, { publish }, {} as Logger, message);
    expect([first, again]).toEqual(['stored', 'duplicate']);
    expect(publish).toHaveBeenCalledTimes(1);
    expect(publish).toHaveBeenCalledWith('live:monetization:event:ev-1', { eventId: 'ev-1', kind: 'OfferViewed', at: envelope.occurredAt, offerId: OFFER });
  });
});
