import { signDemoToken } from '../kernel/auth/demo-token';
import { SeedFile } from '../kernel/contracts/platform-records';
import type { Logger } from '../kernel/logger';

const ATTENDEES = [
  ['u-amara', 'Amara Okafor', 'VIP'],
  ['u-ben', 'Ben Carter', 'GENERAL'],
  ['u-chloe', 'Chloé Martin', 'GENERAL'],
  ['u-diego', 'Diego Álvarez', 'VIP'],
  ['u-emma', 'Emma Schmidt', 'GENERAL'],
  ['u-farid', 'Farid Haddad', 'GENERAL'],
  ['u-grace', 'Grace Liu', 'VIP'],
  ['u-hiro', 'Hiro Tanaka', 'GENERAL'],
  ['u-isla', 'Isla Murphy', 'GENERAL'],
  ['u-jonas', 'Jonas Berg', 'GENERAL'],
] as const;

/** More attendees of the demo's Acme Summit than the contract's fixture has, so its dashboard has people to show. */
export const demoAttendees = SeedFile.parse({
  users: ATTENDEES.map(([id, name]) => ({ id, name, email: `${id.slice(2)}@example.com` })),
  registrations: ATTENDEES.map(([userId, , ticketTier]) => ({ userId, eventId: 'ev-private', ticketTier })),
});

const DEMO_EVENT = 'ev-private';
const KEYNOTE = 's-keynote';

export interface DemoActivityOptions {
  /** The gateway's `/graphql` URL: the activity goes through the API, as the attendees' apps would. */
  gatewayUrl: string;
  jwtSecret: string;
  logger: Logger;
}

export interface DemoActivitySummary {
  views: number;
  clicks: number;
  purchases: number;
  impressions: number;
  adClicks: number;
  waitlistJoins: number;
}

/**
 * A morning of the demo event, played through the gateway by its attendees: offers viewed, opened
 * and bought (the simulator settles payments at once), the sponsor banner shown and clicked, and
 * more people on the keynote's waitlist than it has seats (one offered seat taken, one declined).
 * Same pattern on every start, so the dashboard of a fresh `npm start` shows charts rather than
 * empty states. Nothing is written around the API: stock, analytics and the waitlist agree as they
 * would in use.
 */
export async function playDemoActivity({ gatewayUrl, jwtSecret, logger }: DemoActivityOptions): Promise<DemoActivitySummary> {
  const as = (userId: string) => {
    const token = signDemoToken(userId, jwtSecret);
    return async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
      if (body.errors?.length || !body.data) throw new Error(`demo activity as ${userId}: ${body.errors?.[0]?.message ?? response.status}`);
      return body.data;
    };
  };

  const { event } = await as('u-owner')<{ event: { offers: { id: string; title: string }[]; ads: { id: string }[] } | null }>(
    'query DemoCatalog($eventId: ID!) { event(id: $eventId) { offers { id title } ads { id } } }',
    { eventId: DEMO_EVENT },
  );
  if (!event) throw new Error(`the demo event ${DEMO_EVENT} is missing`);
  // Offers made in one transaction share their creation time, so the list's order is not fixed.
  const offers = [...event.offers].sort((a, b) => a.title.localeCompare(b.title));
  const summary: DemoActivitySummary = { views: 0, clicks: 0, purchases: 0, impressions: 0, adClicks: 0, waitlistJoins: 0 };
  const people = ['u-vip', 'u-guest', ...ATTENDEES.map(([id]) => id)];
  const offered: { userId: string; token: string }[] = [];

  for (const [i, userId] of people.entries()) {
    const call = as(userId);
    for (const [j, offer] of offers.entries()) {
      if ((i + j) % 4 === 0) continue;
      await call('mutation DemoView($id: ID!) { trackOfferView(offerId: $id) }', { id: offer.id });
      summary.views += 1;
      if ((i * 3 + j) % 5 >= 3) continue;
      await call('mutation DemoClick($id: ID!) { trackOfferClick(offerId: $id) }', { id: offer.id });
      summary.clicks += 1;
      if ((i + 2 * j) % 3 === 1) continue;
      await call('mutation DemoBuy($id: ID!, $quantity: Int!) { purchaseOffer(offerId: $id, quantity: $quantity) { purchase { id } } }', {
        id: offer.id,
        quantity: i % 4 === 1 ? 2 : 1,
      });
      summary.purchases += 1;
    }
    for (const ad of event.ads) {
      for (let shown = 0; shown < 1 + (i % 2); shown += 1) {
        await call('mutation DemoImpression($id: ID!) { trackAdImpression(adId: $id) }', { id: ad.id });
        summary.impressions += 1;
      }
      if (i % 4 === 0) {
        await call('mutation DemoAdClick($id: ID!) { trackAdClick(adId: $id) }', { id: ad.id });
        summary.adClicks += 1;
      }
    }
    if (i >= 2 && i < 8) {
      const { joinWaitlist: entry } = await call<{ joinWaitlist: { offerToken: string | null } }>(
        'mutation DemoJoin($sessionId: ID!) { joinWaitlist(sessionId: $sessionId) { offerToken } }',
        { sessionId: KEYNOTE },
      );
      summary.waitlistJoins += 1;
      if (entry.offerToken) offered.push({ userId, token: entry.offerToken });
    }
  }
  // Of the first people offered a keynote seat, one takes it and one turns it down (the seat moves on).
  const [taker, decliner] = offered;
  if (taker) await as(taker.userId)('mutation DemoAccept($token: String!) { acceptWaitlistOffer(token: $token) { id } }', { token: taker.token });
  if (decliner) await as(decliner.userId)('mutation DemoDecline($token: String!) { declineWaitlistOffer(token: $token) { id } }', { token: decliner.token });
  logger.info(summary, 'demo activity played through the gateway');
  return summary;
}
