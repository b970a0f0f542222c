import { LiveChannels } from '../../kernel/live/live-events';
import { SeedFile } from '../../kernel/platform/records';
import { applySeed } from '../../kernel/platform/seed';
import { insertAd } from '../support/ads';
import { codesOf, graphql } from '../support/graphql';
import { livePublisher } from '../support/live';
import { insertOffer } from '../support/offers';
import {
  contractOperations,
  countRows,
  fingerprint,
  ROLE_USERS,
  ROLES,
  subscriptionOutcome,
  type ContractOperation,
  type Role,
  type Verdict,
} from '../support/role-matrix';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';
import { addSession, asUser, ExtraWaitlistOps, resetWaitlist, WaitlistOps } from '../support/waitlist';

const A = 'allowed';
const F = 'FORBIDDEN';
const N = 'NOT_FOUND';
const U = 'UNAUTHENTICATED';

/**
 * Who may do what to the private event ev-private (owned by u-owner of org-acme), from the
 * contract's "Who may do what" (../shared/contract/README.md). Denials: NOT_FOUND to callers who
 * cannot access the event (it must not be revealed), FORBIDDEN to those who can see it without the
 * role, UNAUTHENTICATED where signing in is required and could change the answer.
 */
const MATRIX: Record<string, Record<Role, Verdict>> = {
  // A allowed, F FORBIDDEN, N NOT_FOUND, U UNAUTHENTICATED.
  // "read an offer, active offers, ads for a context: anyone who can access the event"
  ActiveOffers:            { anonymous: N, stranger: N, attendee: A, rival: N, staff: A, owner: A },
  OfferDetail:             { anonymous: N, stranger: N, attendee: A, rival: N, staff: A, owner: A },
  AdsForContext:           { anonymous: N, stranger: N, attendee: A, rival: N, staff: A, owner: A },
  // Not in the table: counting what one was served goes with being allowed to be served it.
  TrackAdImpression:       { anonymous: N, stranger: N, attendee: A, rival: N, staff: A, owner: A },
  TrackAdClick:            { anonymous: N, stranger: N, attendee: A, rival: N, staff: A, owner: A },
  // "purchase an offer: an authenticated caller who can access the offer's event"
  PurchaseOffer:           { anonymous: U, stranger: N, attendee: A, rival: N, staff: A, owner: A },
  // Not in the table: any signed-in caller reads their own purchases (none here but u-guest's); others' never show.
  MyPurchases:             { anonymous: U, stranger: A, attendee: A, rival: A, staff: A, owner: A },
  // "create or update offers and ads, read purchases of others, analytics, exports, the session
  // waitlist list, send offers, remove entries, change capacity: the owner or an organization member"
  CreateOffer:             { anonymous: U, stranger: N, attendee: F, rival: N, staff: A, owner: A },
  UpdateOffer:             { anonymous: U, stranger: N, attendee: F, rival: N, staff: A, owner: A },
  CreateAd:                { anonymous: U, stranger: N, attendee: F, rival: N, staff: A, owner: A },
  MonetizationAnalytics:   { anonymous: U, stranger: N, attendee: F, rival: N, staff: A, owner: A },
  ExportMonetizationReport:{ anonymous: U, stranger: N, attendee: F, rival: N, staff: A, owner: A },
  SessionWaitlist:         { anonymous: U, stranger: N, attendee: F, rival: N, staff: A, owner: A },
  SendWaitlistOffer:       { anonymous: U, stranger: N, attendee: F, rival: N, staff: A, owner: A },
  BulkSendWaitlistOffers:  { anonymous: U, stranger: N, attendee: F, rival: N, staff: A, owner: A },
  RemoveFromWaitlist:      { anonymous: U, stranger: N, attendee: F, rival: N, staff: A, owner: A },
  UpdateSessionCapacity:   { anonymous: U, stranger: N, attendee: F, rival: N, staff: A, owner: A },
  // The dashboard's tab: an attendee sees the event and its offers, and is refused its ads and analytics.
  EventMonetization:       { anonymous: N, stranger: N, attendee: F, rival: N, staff: A, owner: A },
  // Not in the table: a session's seats are what the event page shows anyone who can access the event.
  SessionCapacity:         { anonymous: N, stranger: N, attendee: A, rival: N, staff: A, owner: A },
  // "join, leave, see own position, accept own offer: an authenticated caller registered for the event"
  JoinWaitlist:            { anonymous: U, stranger: N, attendee: A, rival: N, staff: F, owner: F },
  // Organizers are not in line: leaving is refused as "your place: not found", as for anyone without one.
  LeaveWaitlist:           { anonymous: U, stranger: N, attendee: A, rival: N, staff: N, owner: N },
  // Organizers may ask, and hear "not in line" (null): it reveals nothing they cannot already list.
  MyWaitlistPosition:      { anonymous: U, stranger: N, attendee: A, rival: N, staff: A, owner: A },
  // Someone else's token in hand: the offer is theirs, not yours (the token itself is what the caller holds).
  AcceptWaitlistOffer:     { anonymous: U, stranger: F, attendee: A, rival: F, staff: F, owner: F },
  // "subscribe: the same rule as reading what the subscription carries"
  WaitlistUpdates:         { anonymous: U, stranger: N, attendee: F, rival: N, staff: A, owner: A },
  OfferInventory:          { anonymous: N, stranger: N, attendee: A, rival: N, staff: A, owner: A },
  MonetizationActivity:    { anonymous: U, stranger: N, attendee: F, rival: N, staff: A, owner: A },
};

const EVENT_ID = 'ev-private';
const RANGE = { from: '2026-01-01', to: '2026-12-31' };

interface Fixture {
  stack: TestStack;
  offerId: string;
  adId: string;
  guestPurchaseId: string;
}

type Variables = Record<string, unknown>;

/** How one operation is exercised: its variables for a role, and what an answer must show. */
interface Case {
  /** Builds what the call needs (as the people who would have made it) and returns the variables. */
  variables(role: Role, fixture: Fixture): Promise<Variables> | Variables;
  /** What an allowed caller's answer must contain. */
  allowed?(data: any, role: Role, fixture: Fixture): void | Promise<void>;
  /** What a refused answer must not contain (by default: the root field is null or absent). */
  hides?(data: any): void;
  /** Publishes one live change of what a subscription carries. */
  trigger?(fixture: Fixture): Promise<void>;
  /** An allowed call of this mutation writes something (default: true). */
  writes?: boolean;
}

let sessions = 0;

/** A new session of ev-private (capacity `capacity`), with `joiner` on its waitlist if given. */
async function line(fixture: Fixture, capacity: number, joiner?: string): Promise<{ sessionId: string; entryId?: string }> {
  sessions += 1;
  const sessionId = `s-matrix-${sessions}`;
  await addSession(fixture.stack.runtime.orm, EVENT_ID, sessionId, capacity);
  if (!joiner) return { sessionId };
  const joined = await asUser(fixture.stack, joiner)(WaitlistOps.JoinWaitlist, { sessionId });
  expect(joined.errors).toBeUndefined();
  return { sessionId, entryId: joined.data.joinWaitlist.id };
}

/** A session where u-vip waits and the organizer holds one free seat for a hand-picked offer. */
async function lineWithHeldSeat(fixture: Fixture) {
  const { sessionId, entryId } = await line(fixture, 0, 'u-vip');
  const held = await asUser(fixture.stack, 'u-owner')(ExtraWaitlistOps.HoldSeats, { sessionId, total: 1 });
  expect(held.errors).toBeUndefined();
  return { sessionId, entryId: entryId! };
}

const publishLive = (channel: string, message: object) => (fixture: Fixture) => livePublisher(fixture.stack.runtime).publish(channel, message);

const CASES: Record<string, Case> = {
  ActiveOffers: {
    variables: () => ({ eventId: EVENT_ID }),
    allowed: (data, _role, { offerId }) => expect(data.activeOffers.map((offer: { id: string }) => offer.id)).toContain(offerId),
  },
  OfferDetail: {
    variables: (_role, { offerId }) => ({ id: offerId }),
    allowed: (data, _role, { offerId }) => expect(data.offer).toMatchObject({ id: offerId, eventId: EVENT_ID }),
  },
  AdsForContext: {
    variables: () => ({ eventId: EVENT_ID, placement: 'lobby-banner', limit: 10 }),
    allowed: (data, _role, { adId }) => expect(data.adsForContext.ads.map((ad: { id: string }) => ad.id)).toContain(adId),
  },
  TrackAdImpression: {
    variables: (_role, { adId }) => ({ adId, sessionId: 's-keynote' }),
    allowed: (data) => expect(data.trackAdImpression).toBe(true),
  },
  TrackAdClick: {
    variables: (_role, { adId }) => ({ adId }),
    allowed: (data) => expect(data.trackAdClick).toBe(true),
  },
  PurchaseOffer: {
    variables: (_role, { offerId }) => ({ offerId, quantity: 1 }),
    allowed: (data) => expect(data.purchaseOffer.purchase).toMatchObject({ quantity: 1, total: { amountCents: 2500, currency: 'USD' } }),
  },
  MyPurchases: {
    variables: () => ({ eventId: EVENT_ID }),
    allowed: async (data, role, { stack, guestPurchaseId }) => {
      const own = await stack.runtime.orm.em
        .fork()
        .execute<{ id: string }[]>('select id from offer_purchases where user_id = ?', [ROLE_USERS[role]]);
      const ids = data.myPurchases.map((purchase: { id: string }) => purchase.id);
      expect(own.map((row) => row.id)).toEqual(expect.arrayContaining(ids));
      if (role === 'attendee') expect(ids).toContain(guestPurchaseId);
      else expect(ids).not.toContain(guestPurchaseId);
    },
  },
  CreateOffer: {
    variables: (role) => ({ input: { eventId: EVENT_ID, title: `Offer by ${role}`, type: 'DIGITAL', price: { amountCents: 1000 } } }),
    allowed: (data, role) => expect(data.createOffer).toMatchObject({ title: `Offer by ${role}`, price: { amountCents: 1000, currency: 'USD' } }),
  },
  UpdateOffer: {
    variables: (role, { offerId }) => ({ id: offerId, input: { title: `Renamed by ${role}` } }),
    allowed: (data, role) => expect(data.updateOffer.title).toBe(`Renamed by ${role}`),
  },
  CreateAd: {
    variables: (role) => ({
      input: {
        eventId: EVENT_ID,
        name: `Ad by ${role}`,
        mediaUrl: 'https://cdn.example.com/banner.png',
        clickUrl: 'https://sponsor.example.com/',
        placements: ['lobby-banner'],
      },
    }),
    allowed: (data, role) => expect(data.createAd).toMatchObject({ name: `Ad by ${role}`, isActive: true }),
  },
  MonetizationAnalytics: {
    variables: () => ({ eventId: EVENT_ID, ...RANGE }),
    allowed: (data) => expect(data.monetizationAnalytics.revenue.total.currency).toBe('USD'),
  },
  ExportMonetizationReport: {
    variables: () => ({ eventId: EVENT_ID, ...RANGE, format: 'CSV' }),
    allowed: (data) => expect(data.exportMonetizationReport.base64.length).toBeGreaterThan(0),
    writes: false,
  },
  SessionWaitlist: {
    variables: () => ({ sessionId: 's-keynote', first: 10 }),
    allowed: (data) => expect(data.sessionWaitlist.totalCount).toEqual(expect.any(Number)),
  },
  SendWaitlistOffer: {
    variables: async (_role, fixture) => ({ entryId: (await lineWithHeldSeat(fixture)).entryId }),
    allowed: (data) => expect(data.sendWaitlistOffer.status).toBe('OFFERED'),
  },
  BulkSendWaitlistOffers: {
    variables: async (_role, fixture) => ({ sessionId: (await lineWithHeldSeat(fixture)).sessionId, count: 1 }),
    allowed: (data) => expect(data.bulkSendWaitlistOffers.map((entry: { status: string }) => entry.status)).toEqual(['OFFERED']),
  },
  RemoveFromWaitlist: {
    variables: async (_role, fixture) => ({ entryId: (await line(fixture, 0, 'u-vip')).entryId }),
    allowed: (data) => expect(data.removeFromWaitlist).toBe(true),
  },
  UpdateSessionCapacity: {
    // A different total per role (none of them the current 30), so that any success would show.
    variables: (role) => ({ sessionId: 's-workshop', total: 40 + ROLES.indexOf(role) }),
    allowed: (data, role) => expect(data.updateSessionCapacity).toMatchObject({ sessionId: 's-workshop', total: 40 + ROLES.indexOf(role) }),
  },
  EventMonetization: {
    variables: () => ({ eventId: EVENT_ID, ...RANGE }),
    allowed: (data, _role, { offerId, adId }) => {
      expect(data.event.offers.map((offer: { id: string }) => offer.id)).toContain(offerId);
      expect(data.event.ads.map((ad: { id: string }) => ad.id)).toContain(adId);
      expect(data.event.monetizationAnalytics.funnel).toEqual(expect.objectContaining({ purchases: expect.any(Number) }));
    },
    hides: (data) => {
      expect(data?.event?.ads ?? null).toBeNull();
      expect(data?.event?.monetizationAnalytics ?? null).toBeNull();
    },
  },
  SessionCapacity: {
    variables: () => ({ sessionId: 's-keynote' }),
    allowed: (data) => expect(data.sessionCapacity).toMatchObject({ sessionId: 's-keynote', total: 2 }),
  },
  JoinWaitlist: {
    variables: async (_role, fixture) => ({ sessionId: (await line(fixture, 0)).sessionId }),
    allowed: (data) => expect(data.joinWaitlist).toMatchObject({ status: 'WAITING', position: 1 }),
  },
  LeaveWaitlist: {
    // u-guest waits: whoever calls must not take u-guest's place away.
    variables: async (_role, fixture) => ({ sessionId: (await line(fixture, 0, 'u-guest')).sessionId }),
    allowed: (data) => expect(data.leaveWaitlist).toBe(true),
  },
  MyWaitlistPosition: {
    variables: () => ({ sessionId: 's-keynote' }),
  },
  AcceptWaitlistOffer: {
    // u-guest holds an open offer; each caller presents u-guest's token.
    variables: async (_role, fixture) => {
      const { sessionId } = await line(fixture, 1, 'u-guest');
      const mine = await asUser(fixture.stack, 'u-guest')(ExtraWaitlistOps.MyOffer, { sessionId });
      expect(mine.data.myWaitlistPosition).toMatchObject({ status: 'OFFERED', offerToken: expect.any(String) });
      return { token: mine.data.myWaitlistPosition.offerToken };
    },
    allowed: (data) => expect(data.acceptWaitlistOffer.status).toBe('ACCEPTED'),
  },
  WaitlistUpdates: {
    variables: () => ({ sessionId: 's-keynote' }),
    trigger: publishLive(LiveChannels.waitlistSession('s-keynote'), { sessionId: 's-keynote', eventId: EVENT_ID, kind: 'capacity', at: new Date().toISOString() }),
    allowed: (data) => expect(data.waitlistUpdated).toMatchObject({ sessionId: 's-keynote', capacity: { total: 2 } }),
  },
  OfferInventory: {
    variables: () => ({ eventId: EVENT_ID }),
    trigger: (fixture) =>
      publishLive(LiveChannels.offerInventory(EVENT_ID), { eventId: EVENT_ID, offerId: fixture.offerId, at: new Date().toISOString() })(fixture),
    // The first message is the snapshot: one of the event's offers the role may see (issue 15).
    allowed: (data) => expect(data.offerInventoryChanged.offer.id).toEqual(expect.any(String)),
  },
  MonetizationActivity: {
    variables: () => ({ eventId: EVENT_ID }),
    trigger: (fixture) =>
      publishLive(LiveChannels.monetizationActivity(EVENT_ID), { eventId: EVENT_ID, kind: 'AdClicked', at: new Date().toISOString(), adId: fixture.adId })(
        fixture,
      ),
    allowed: (data) => expect(data.monetizationActivity.kind).toEqual(expect.any(String)),
  },
};

const OPERATIONS = contractOperations();
const cells = (operation: ContractOperation) => ROLES.map((role) => [role, MATRIX[operation.name]?.[role] ?? 'missing'] as const);

describe('every contract operation as every role, against the private event ev-private', () => {
  const fixture = {} as Fixture;
  const tokens = {} as Record<Role, string | undefined>;

  beforeAll(async () => {
    const stack = await startStack({ env: { SUBSCRIPTION_WINDOW_MS: '50' } });
    await resetWaitlist(stack);
    const { orm } = stack.runtime;
    await applySeed(orm, SeedFile.parse({ users: [{ id: 'u-stranger', email: 'stranger@example.com', name: 'Stella Stranger' }] }));
    const offer = await insertOffer(orm, { eventId: EVENT_ID, title: 'Backstage pass', type: 'DIGITAL', priceCents: 2500, inventoryTotal: 100 });
    const ad = await insertAd(orm, EVENT_ID, { name: 'Sponsor banner' });
    const bought = await asUser(stack, 'u-guest')(
      'mutation ($offerId: ID!) { purchaseOffer(offerId: $offerId, quantity: 1) { purchase { id } } }',
      { offerId: offer.id },
    );
    expect(bought.errors).toBeUndefined();
    Object.assign(fixture, { stack, offerId: offer.id, adId: ad.id, guestPurchaseId: bought.data.purchaseOffer.purchase.id });
    for (const role of ROLES) tokens[role] = ROLE_USERS[role] ? await tokenFor(ROLE_USERS[role]!) : undefined;
  });
  afterAll(() => fixture.stack?.close());

  it('has a verdict for every role and a case for every operation of the contract, and for nothing else', () => {
    const names = OPERATIONS.map((operation) => operation.name).sort();
    expect(names.length).toBeGreaterThanOrEqual(26);
    expect(Object.keys(MATRIX).sort()).toEqual(names);
    expect(Object.keys(CASES).sort()).toEqual(names);
    for (const name of names) expect(Object.keys(MATRIX[name]).sort()).toEqual([...ROLES].sort());
  });

  async function call(operation: ContractOperation, testCase: Case, role: Role, variables: Variables) {
    if (operation.kind !== 'subscription') {
      const response = await graphql(fixture.stack.gatewayUrl, operation.text, { variables, token: tokens[role] });
      return { codes: codesOf(response) as string[], data: response.data ?? null };
    }
    return subscriptionOutcome(fixture.stack.gatewayUrl, tokens[role], operation.text, variables, () => testCase.trigger!(fixture));
  }

  describe.each(OPERATIONS)('$name', (operation) => {
    const testCase = CASES[operation.name];

    it.each(cells(operation))('as the %s: %s', async (role, verdict) => {
      const { orm, redis } = fixture.stack.runtime;
      const variables = await testCase.variables(role, fixture);
      const before = await fingerprint(orm, redis);
      const outboxBefore = await countRows(orm, 'outbox_messages');

      const { codes, data } = await call(operation, testCase, role, variables);
      const after = await fingerprint(orm, redis);

      if (verdict === 'allowed') {
        expect(codes).toEqual([]);
        expect(data).toHaveProperty(operation.rootField);
        await testCase.allowed?.(data, role, fixture);
        // Proves the fingerprint sees writes, so the "nothing changed" of the refusals means something.
        if (operation.kind === 'mutation' && testCase.writes !== false) expect(after).not.toEqual(before);
        return;
      }
      expect(codes.length).toBeGreaterThan(0);
      expect(new Set(codes)).toEqual(new Set([verdict]));
      if (testCase.hides) testCase.hides(data);
      else expect(data?.[operation.rootField] ?? null).toBeNull();
      expect(after).toEqual(before);
      expect(await countRows(orm, 'outbox_messages')).toBe(outboxBefore);
    });
  });
});
