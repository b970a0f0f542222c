import { createHmac } from 'node:crypto';
import { sameBytes } from '../auth/same-bytes';
import type { EventRow } from './access';

/** The response extension a subgraph puts its grant in, and the header the gateway hands grants on in. */
export const ACCESS_GRANT_EXTENSION = 'eventAccess';
export const ACCESS_GRANT_HEADER = 'x-event-access';

/** How long a grant is believed: the fetches of one gateway request follow each other within it. */
export const ACCESS_GRANT_TTL_MS = 10_000;

/** At most this many grants are read from one header (a request's fetches bring one each at most). */
const GRANTS_READ = 8;

/** What one read of the platform tables said about the caller and an event (see `EventAccess`). */
export interface AccessFact {
  event: EventRow;
  /** The caller's live registration's tier, or null. */
  ticketTier: string | null;
  /** Whether the caller is a member of the event's organization. */
  isMember: boolean;
}

interface GrantPayload {
  sub: string;
  exp: number;
  facts: readonly AccessFact[];
}

/**
 * A subgraph's access facts for one caller, signed with the subgraph secret (the key every subgraph
 * and the gateway already share), so the later fetches of the same gateway request, which go to
 * other subgraphs, need not read the same rows again (issue 19: the dashboard read the caller's
 * access to its event once per subgraph). Bound to the caller and short-lived.
 */
export function signAccessGrant(secret: string, userId: string, facts: readonly AccessFact[], nowMs = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ sub: userId, exp: nowMs + ACCESS_GRANT_TTL_MS, facts } satisfies GrantPayload)).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/**
 * The facts of the grants in a header (comma-separated) that are intact, unexpired and about
 * `userId`; anything else in it is ignored, and those events are read from the database as usual.
 */
export function readAccessGrants(secret: string, header: string | undefined, userId: string, nowMs = Date.now()): AccessFact[] {
  if (!header) return [];
  const facts: AccessFact[] = [];
  for (const grant of header.split(',', GRANTS_READ)) {
    const [payload, signature, extra] = grant.trim().split('.');
    if (!payload || !signature || extra !== undefined || !sameBytes(signature, mac(secret, payload))) continue;
    let claims: Partial<GrantPayload>;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<GrantPayload>;
    } catch {
      continue;
    }
    if (claims.sub !== userId || typeof claims.exp !== 'number' || claims.exp <= nowMs || !Array.isArray(claims.facts)) continue;
    facts.push(...claims.facts);
  }
  return facts;
}

// Domain-separated from the gateway's identity tokens, which the same secret signs.
const mac = (secret: string, payload: string) => createHmac('sha256', secret).update('event-access-grant\n').update(payload).digest('base64url');
