import { PRIORITY_TIERS, type PriorityTier } from './entities/waitlist-entry';

/** Serving order: lower is served first. */
export const TIER_RANK: Record<PriorityTier, number> = { VIP: 0, PREMIUM: 1, STANDARD: 2 };

/** The tiers served before `tier`. */
export const tiersAhead = (tier: PriorityTier): PriorityTier[] => PRIORITY_TIERS.filter((t) => TIER_RANK[t] < TIER_RANK[tier]);

/** The priority a ticket tier carries on its own: VIP→VIP, PREMIUM→PREMIUM, anything else none. */
function ticketPriority(ticketTier: string | null | undefined): PriorityTier | null {
  const normalized = ticketTier?.trim().toUpperCase();
  return normalized === 'VIP' || normalized === 'PREMIUM' ? normalized : null;
}

/** The contract's mapping of a registration's ticket tier: VIP→VIP, PREMIUM→PREMIUM, anything else→STANDARD. */
export function tierFromTicket(ticketTier: string | null | undefined): PriorityTier {
  return ticketPriority(ticketTier) ?? 'STANDARD';
}

/**
 * The tier a person waits in (issue 16): an organizer's choice for that person on that session,
 * then the ticket's tier when it names one (VIP, PREMIUM), then the organizer's default for the
 * session, then STANDARD. A session default is the fallback for tickets that carry no priority
 * (GENERAL, none): it never lowers a VIP or PREMIUM ticket.
 */
export function resolveTier(choices: {
  userOverride?: PriorityTier | null;
  sessionTier?: PriorityTier | null;
  ticketTier?: string | null;
}): PriorityTier {
  return choices.userOverride ?? ticketPriority(choices.ticketTier) ?? choices.sessionTier ?? 'STANDARD';
}

/** `TIER_RANK` in SQL, for ordering and keyset comparisons on `waitlist_entries` aliased `alias`. */
export const tierRankSql = (alias: string) =>
  `(case ${alias}.priority_tier when 'VIP' then 0 when 'PREMIUM' then 1 else 2 end)`;

/** `resolveTier` in SQL for an entry row aliased `e` (used when an organizer changes tiers in bulk). */
export const RESOLVED_TIER_SQL = `coalesce(
  (select o.tier from waitlist_tier_overrides o where o.session_id = e.session_id and o.user_id = e.user_id),
  (select case upper(trim(r.ticket_tier)) when 'VIP' then 'VIP' when 'PREMIUM' then 'PREMIUM' end
     from platform_registrations r where r.user_id = e.user_id and r.event_id = e.event_id and r.cancelled_at is null),
  (select c.default_tier from session_capacities c where c.session_id = e.session_id),
  'STANDARD')`;
