import type DataLoader from 'dataloader';
import { createLoader } from '../loader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '../auth/identity';
import { pgArray } from '../db/sql';
import { readRows } from '../db/read-rows';
import type { AccessFact } from './access-grant';

export interface EventRow {
  id: string;
  organizationId: string;
  ownerId: string;
  name: string;
  isPublic: boolean;
  currency: string;
}

export interface SessionRow {
  id: string;
  eventId: string;
  title: string;
  capacity: number;
  startsAt: Date;
}

export interface RegistrationRow {
  eventId: string;
  ticketTier: string;
}

/**
 * Per-request, batched answers to "who may see and manage which event". Each question about many
 * events costs one SQL statement per table, whatever the number of events.
 */
export class EventAccess {
  readonly events: DataLoader<string, EventRow | null>;
  readonly sessions: DataLoader<string, SessionRow | null>;
  /** The caller's live registrations, by event id. */
  readonly registrations: DataLoader<string, RegistrationRow | null>;
  /** Whether the caller is a member of each organization, by organization id. */
  private readonly memberships: DataLoader<string, boolean>;
  /** What this request read of the caller's access, by event id (not what it was handed in a grant). */
  private readonly factsRead = new Map<string, AccessFact>();

  constructor(
    em: EntityManager,
    private readonly identity: Identity | null,
  ) {
    // With a caller, the same statement brings their registration and membership for each event
    // (both keyed uniquely by user), which the loaders below then answer without SQL of their own:
    // one statement per request for "may the caller see and manage this event".
    this.events = createLoader(async (ids) => {
      const rows = identity
        ? await readRows<Record<string, unknown>>(
            em,
            `select e.id, e.organization_id, e.owner_id, e.name, e.is_public, e.currency,
                    r.ticket_tier, m.user_id is not null as is_member
               from platform_events e
               left join platform_registrations r on r.event_id = e.id and r.user_id = ? and r.cancelled_at is null
               left join platform_organization_members m on m.organization_id = e.organization_id and m.user_id = ?
              where e.id = any(?::text[])`,
            [identity.userId, identity.userId, pgArray(ids)],
          )
        : await readRows<Record<string, unknown>>(
            em,
            `select id, organization_id, owner_id, name, is_public, currency from platform_events where id = any(?::text[])`,
            [pgArray(ids)],
          );
      const byId = new Map(rows.map((row) => [row.id as string, toEventRow(row)]));
      if (identity) {
        for (const row of rows) {
          const fact: AccessFact = { event: byId.get(row.id as string)!, ticketTier: (row.ticket_tier as string | null) ?? null, isMember: Boolean(row.is_member) };
          this.factsRead.set(fact.event.id, fact);
          this.primeFact(fact);
        }
      }
      return ids.map((id) => byId.get(id) ?? null);
    });
    this.sessions = createLoader(async (ids) => {
      const rows = await readRows<Record<string, unknown>>(
        em,
        `select id, event_id, title, capacity, starts_at from platform_sessions where id = any(?::text[])`,
        [pgArray(ids)],
      );
      const byId = new Map(
        rows.map((row) => [
          row.id as string,
          {
            id: row.id as string,
            eventId: row.event_id as string,
            title: row.title as string,
            capacity: Number(row.capacity),
            startsAt: new Date(row.starts_at as string),
          },
        ]),
      );
      return ids.map((id) => byId.get(id) ?? null);
    });
    this.registrations = createLoader(async (eventIds) => {
      if (!identity) return eventIds.map(() => null);
      const rows = await readRows<{ event_id: string; ticket_tier: string }>(
        em,
        `select event_id, ticket_tier from platform_registrations
          where user_id = ? and event_id = any(?::text[]) and cancelled_at is null`,
        [identity.userId, pgArray(eventIds)],
      );
      const byEvent = new Map(rows.map((row) => [row.event_id, { eventId: row.event_id, ticketTier: row.ticket_tier }]));
      return eventIds.map((id) => byEvent.get(id) ?? null);
    });
    this.memberships = createLoader(async (organizationIds) => {
      if (!identity) return organizationIds.map(() => false);
      const rows = await readRows<{ organization_id: string }>(
        em,
        `select organization_id from platform_organization_members
          where user_id = ? and organization_id = any(?::text[])`,
        [identity.userId, pgArray(organizationIds)],
      );
      const member = new Set(rows.map((row) => row.organization_id));
      return organizationIds.map((id) => member.has(id));
    });
  }

  /**
   * Answers of `canAccessEvent` and `isEventOrganizer` by event id: a rule on every field of every
   * offer of a list asks the same question hundreds of times per request; the loaders would answer
   * each from their cache, but only after a chain of awaits and allocations per call.
   */
  private readonly accessAnswers = new Map<string, Promise<boolean>>();
  private readonly organizerAnswers = new Map<string, Promise<boolean>>();

  /** The same answers once settled: a rule asked again can answer without awaiting (see `knownAccess`). */
  private readonly settledAccess = new Map<string, boolean>();
  private readonly settledOrganizer = new Map<string, boolean>();

  /** Takes facts another subgraph read in the same gateway request (see access-grant.ts) as read here. */
  prime(facts: readonly AccessFact[]): void {
    for (const fact of facts) {
      this.events.prime(fact.event.id, fact.event);
      this.primeFact(fact);
    }
  }

  /** What this request read of the caller's access to events, for a grant to the request's later fetches. */
  facts(): AccessFact[] {
    return [...this.factsRead.values()];
  }

  private primeFact({ event, ticketTier, isMember }: AccessFact): void {
    this.registrations.prime(event.id, ticketTier === null ? null : { eventId: event.id, ticketTier });
    this.memberships.prime(event.organizationId, isMember);
  }

  /** Drops every cached answer, so later checks read the current read model. */
  forget(): void {
    this.factsRead.clear();
    this.accessAnswers.clear();
    this.organizerAnswers.clear();
    this.settledAccess.clear();
    this.settledOrganizer.clear();
    this.events.clearAll();
    this.sessions.clearAll();
    this.registrations.clearAll();
    this.memberships.clearAll();
  }

  /** The event's owner or a member of its organization. */
  isEventOrganizer(eventId: string): Promise<boolean> {
    let answer = this.organizerAnswers.get(eventId);
    if (!answer) {
      answer = this.decideOrganizer(eventId);
      this.organizerAnswers.set(eventId, answer);
      const asked = answer;
      void answer.then((organizer) => this.organizerAnswers.get(eventId) === asked && this.settledOrganizer.set(eventId, organizer), () => undefined);
    }
    return answer;
  }

  /** `isEventOrganizer`'s answer if this request already has it, else undefined (ask, then). */
  knownOrganizer(eventId: string): boolean | undefined {
    return this.settledOrganizer.get(eventId);
  }

  /** `canAccessEvent`'s answer if this request already has it, else undefined (ask, then). */
  knownAccess(eventId: string): boolean | undefined {
    return this.settledAccess.get(eventId);
  }

  private async decideOrganizer(eventId: string): Promise<boolean> {
    if (!this.identity) return false;
    const event = await this.events.load(eventId);
    if (!event) return false;
    if (event.ownerId === this.identity.userId) return true;
    return this.memberships.load(event.organizationId);
  }

  /** The first of `sessionIds` that is not a session of `eventId` (undefined when every one is); one batched lookup. */
  async firstSessionNotOf(eventId: string, sessionIds: readonly string[]): Promise<string | undefined> {
    const sessions = await Promise.all(sessionIds.map((id) => this.sessions.load(id)));
    return sessionIds.find((_id, index) => sessions[index]?.eventId !== eventId);
  }

  /** The event is public, or the caller is registered for it, or organizes it. */
  canAccessEvent(eventId: string): Promise<boolean> {
    let answer = this.accessAnswers.get(eventId);
    if (!answer) {
      answer = this.decideAccess(eventId);
      this.accessAnswers.set(eventId, answer);
      const asked = answer;
      void answer.then((access) => this.accessAnswers.get(eventId) === asked && this.settledAccess.set(eventId, access), () => undefined);
    }
    return answer;
  }

  private async decideAccess(eventId: string): Promise<boolean> {
    const event = await this.events.load(eventId);
    if (!event) return false;
    if (event.isPublic) return true;
    if (!this.identity) return false;
    const [registration, organizer] = await Promise.all([
      this.registrations.load(eventId),
      this.isEventOrganizer(eventId),
    ]);
    return registration !== null || organizer;
  }
}

function toEventRow(row: Record<string, unknown>): EventRow {
  return {
    id: row.id as string,
    organizationId: row.organization_id as string,
    ownerId: row.owner_id as string,
    name: row.name as string,
    isPublic: Boolean(row.is_public),
    currency: String(row.currency).trim(),
  };
}
