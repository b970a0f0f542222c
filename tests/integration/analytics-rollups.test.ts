import { randomUUID } from 'node:crypto';
import type { Envelope } from '../../kernel/events/envelope';
import { MONETIZATION_TOPIC, type MonetizationEventData, type MonetizationEventType } from '../../kernel/contracts/monetization-events';
import { createLogger } from '../../kernel/logger';
import { summarize } from '../../subgraphs/analytics/analytics-service';
import { loadFactTotals, recountFactTotals, type FactTotals } from '../../subgraphs/analytics/facts-repository';
import { ingestMonetizationMessage } from '../../subgraphs/analytics/ingestion/ingest';
import { parseDateRange } from '../../subgraphs/analytics/range';
import { rebuildRollups } from '../../subgraphs/analytics/rollups';
import { addAnalyticsEvent, ingest, monetizationEnvelope } from '../support/analytics';
import { startStack, type TestStack } from '../support/stack';

jest.setTimeout(120_000);

const HOUR = 3_600_000;
const OFFERS = [randomUUID(), randomUUID(), randomUUID()];
const ADS = [randomUUID(), randomUUID()];

/** A small deterministic generator, so that a failure can be replayed. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * Facts of every type over three UTC days and the hours either side of their midnights, with
 * quantities, amounts in the event's currency, in another and in none, and labels that change.
 */
function factsOf(eventId: string, count: number): Envelope<MonetizationEventData>[] {
  const random = generator(19);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  const base = Date.parse('2026-03-10T00:00:00Z');
  const facts: Envelope<MonetizationEventData>[] = [];
  for (let n = 0; n < count; n += 1) {
    // Distinct milliseconds: facts published at the same instant with different labels have no "latest".
    const at = new Date(base - 3 * HOUR + Math.floor(random() * 78 * HOUR) + (n % 997));
    const offerId = pick(OFFERS);
    const adId = pick(ADS);
    const currency = pick(['USD', 'USD', 'EUR', undefined] as const);
    const amountCents = currency ? 100 + Math.floor(random() * 5000) : undefined;
    const title = { offerTitle: `${pick(['Workshop', 'Dinner'])} ${n}` };
    const facts_: [MonetizationEventType, MonetizationEventData][] = [
      ['OfferViewed', { eventId, offerId, ...title }],
      ['OfferClicked', { eventId, offerId, ...title }],
      ['PurchaseCompleted', { eventId, offerId, quantity: 1 + Math.floor(random() * 3), amountCents, currency, ...title }],
      ['PurchaseRefunded', { eventId, offerId, quantity: 1, amountCents, currency }],
      ['PurchaseCompleted', { eventId, amountCents: 700, currency: 'USD' }],
      ['AdImpression', { eventId, adId, adName: `Banner ${n}` }],
      ['AdClicked', { eventId, adId }],
      ['WaitlistJoined', { eventId, sessionId: 's-1', userId: `u-${n}` }],
      ['WaitlistOffered', { eventId, sessionId: 's-1' }],
      ['WaitlistAccepted', { eventId, sessionId: 's-1' }],
      ['WaitlistDeclined', { eventId, sessionId: 's-1' }],
      ['WaitlistExpired', { eventId, sessionId: 's-1' }],
    ];
    const [type, data] = pick(facts_);
    facts.push(monetizationEnvelope(type, data, at));
  }
  return facts;
}

function shuffled<T>(values: readonly T[], seed: number): T[] {
  const random = generator(seed);
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const sorted = (rows: FactTotals[]) =>
  [...rows].sort((a, b) =>
    `${a.type}/${a.offerId}/${a.adId}`.localeCompare(`${b.type}/${b.offerId}/${b.adId}`),
  );

describe('monetization rollups', () => {
  let stack: TestStack;
  let eventId: string;
  let facts: Envelope<MonetizationEventData>[];

  const sql = <T>(text: string, params: unknown[] = []) => stack.runtime.orm.em.fork().execute<T[]>(text, params);
  const rollupRows = () =>
    sql<Record<string, unknown>>(
      `select event_type, day::text, offer_id, ad_id, currency, count, units, amount_cents, offer_title, offer_title_at, ad_name, ad_name_at
         from monetization_rollups where event_id = ? order by event_type, day, offer_id, ad_id, currency`,
      [eventId],
    );

  /** Reads every period both ways and expects the same totals and the same analytics. */
  const expectRollupsEqualRecount = async () => {
    const event = { id: eventId, name: 'Analytics conference', currency: 'USD' };
    const periods = [
      parseDateRange('2026-03-09', '2026-03-13'),
      parseDateRange('2026-03-10', '2026-03-10'),
      parseDateRange('2026-03-11', '2026-03-12'),
      parseDateRange('2026-03-13', '2026-03-13'),
      // A scheduled report's period in a time zone: partial UTC days at both ends.
      { start: new Date('2026-03-09T22:30:00Z'), end: new Date('2026-03-11T22:30:00Z') },
      // Within one UTC day.
      { start: new Date('2026-03-10T05:00:00Z'), end: new Date('2026-03-10T17:00:00Z') },
    ];
    for (const period of periods) {
      const em = stack.runtime.orm.em.fork();
      const [fromRollups, recounted] = [await loadFactTotals(em, [eventId], period), await recountFactTotals(em, [eventId], period)];
      expect(sorted(fromRollups)).toEqual(sorted(recounted));
      const range = { from: 'x', to: 'y', days: 1, ...period };
      expect(summarize(event, range, fromRollups)).toEqual(summarize(event, range, recounted));
    }
  };

  beforeAll(async () => {
    stack = await startStack({ gateway: false, subgraphs: [] });
    eventId = await addAnalyticsEvent(stack.runtime.orm, { currency: 'USD' });
    facts = factsOf(eventId, 600);
  });
  afterAll(() => stack.close());

  it('count each fact once after out-of-order, duplicated and replayed deliveries, equal to a recount of the raw facts', async () => {
    // Out of order, with a tenth of the messages delivered twice in a row.
    const firstPass = shuffled(facts, 7).flatMap((fact, n) => (n % 10 === 0 ? [fact, fact] : [fact]));
    await ingest(stack.runtime.orm, firstPass);
    // The whole topic replayed from the beginning, in another order.
    await ingest(stack.runtime.orm, shuffled(facts, 11));

    const [{ facts: stored, counted }] = await sql<{ facts: string; counted: string }>(
      `select (select count(*) from monetization_events where event_id = ?) as facts,
              (select sum(count) from monetization_rollups where event_id = ?) as counted`,
      [eventId, eventId],
    );
    expect(Number(stored)).toBe(600);
    expect(Number(counted)).toBe(600);
    const views = facts.filter((fact) => fact.type === 'OfferViewed').length;
    const totals = await loadFactTotals(stack.runtime.orm.em.fork(), [eventId], parseDateRange('2026-03-09', '2026-03-13'));
    expect(totals.filter((row) => row.type === 'OfferViewed').reduce((sum, row) => sum + row.count, 0)).toBe(views);
    await expectRollupsEqualRecount();
  });

  it('count a message once when two replicas deliver it at the same moment', async () => {
    const logger = createLogger('silent');
    const live = { publish: async () => undefined };
    const envelope = monetizationEnvelope(
      'PurchaseCompleted',
      { eventId, offerId: OFFERS[0], quantity: 2, amountCents: 1234, currency: 'USD' },
      new Date('2026-03-11T12:00:00Z'),
    );
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        ingestMonetizationMessage(stack.runtime.orm.em.fork(), live, logger, { topic: MONETIZATION_TOPIC, key: null, envelope }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'stored')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(7);
    await expectRollupsEqualRecount();
  });

  it('keep the label published last, whatever order the messages arrive in', async () => {
    const offerId = randomUUID();
    const at = (hour: number) => new Date(Date.UTC(2026, 2, 12, hour));
    const older = monetizationEnvelope('OfferViewed', { eventId, offerId, offerTitle: 'Old title' }, at(9));
    const newer = monetizationEnvelope('OfferViewed', { eventId, offerId, offerTitle: 'New title' }, at(10));
    await ingest(stack.runtime.orm, [newer, older]);
    const totals = await loadFactTotals(stack.runtime.orm.em.fork(), [eventId], parseDateRange('2026-03-12', '2026-03-12'));
    expect(totals.find((row) => row.offerId === offerId)).toMatchObject({ count: 2, offerTitle: 'New title' });
    await expectRollupsEqualRecount();
  });

  it('are rebuilt from the raw facts to the same rows ingestion keeps', async () => {
    const kept = await rollupRows();
    await rebuildRollups(stack.runtime.orm.em.fork(), [eventId]);
    expect(await rollupRows()).toEqual(kept);
  });

  it('leave the rollups of a fact that could not be stored untouched', async () => {
    const before = await rollupRows();
    // Not a UUID: parsed as malformed and skipped before any statement.
    await ingest(stack.runtime.orm, [monetizationEnvelope('OfferViewed', { eventId, offerId: 'not-a-uuid' })]);
    expect(await rollupRows()).toEqual(before);
  });
});
