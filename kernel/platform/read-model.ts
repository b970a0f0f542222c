import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../db/sql';
import type {
  EventRecord,
  OrganizationRecord,
  RegistrationRecord,
  SeedFile,
  SessionRecord,
  UserRecord,
} from '../contracts/platform-records';

/**
 * Writes the platform read model with idempotent upserts: applying the same record twice leaves the
 * same rows. Every method runs in the caller's transaction.
 */
export class PlatformReadModel {
  constructor(private readonly em: EntityManager) {}

  async upsertUser(user: UserRecord): Promise<void> {
    await this.em.execute(
      `insert into platform_users (id, email, name, updated_at) values (?, ?, ?, now())
       on conflict (id) do update set email = excluded.email, name = excluded.name, updated_at = now()`,
      [user.id, user.email, user.name],
    );
  }

  async upsertOrganization(organization: OrganizationRecord): Promise<void> {
    await this.em.execute(
      `insert into platform_organizations (id, name, updated_at) values (?, ?, now())
       on conflict (id) do update set name = excluded.name, updated_at = now()`,
      [organization.id, organization.name],
    );
    // The record carries the full member list: members not in it are no longer members.
    await this.em.execute(
      `delete from platform_organization_members where organization_id = ? and not (user_id = any(?::text[]))`,
      [organization.id, pgArray(organization.members)],
    );
    if (organization.members.length > 0) {
      await this.em.execute(
        `insert into platform_organization_members (organization_id, user_id)
         select ?, unnest(?::text[]) on conflict do nothing`,
        [organization.id, pgArray(organization.members)],
      );
    }
  }

  async upsertEvent(event: EventRecord): Promise<void> {
    await this.em.execute(
      `insert into platform_events (id, organization_id, owner_id, name, is_public, currency, updated_at)
       values (?, ?, ?, ?, ?, ?, now())
       on conflict (id) do update set organization_id = excluded.organization_id, owner_id = excluded.owner_id,
         name = excluded.name, is_public = excluded.is_public, currency = excluded.currency, updated_at = now()`,
      [event.id, event.organizationId, event.ownerId, event.name, event.isPublic, event.currency],
    );
    for (const session of event.sessions ?? []) {
      await this.upsertSession({ ...session, eventId: event.id });
    }
  }

  async upsertSession(session: SessionRecord & { eventId: string }): Promise<void> {
    await this.em.execute(
      `insert into platform_sessions (id, event_id, title, capacity, starts_at, updated_at)
       values (?, ?, ?, ?, ?, now())
       on conflict (id) do update set event_id = excluded.event_id, title = excluded.title,
         capacity = excluded.capacity, starts_at = excluded.starts_at, updated_at = now()`,
      [session.id, session.eventId, session.title, session.capacity, new Date(session.startsAt)],
    );
  }

  async upsertRegistration(registration: RegistrationRecord): Promise<void> {
    await this.em.execute(
      `insert into platform_registrations (user_id, event_id, ticket_tier, cancelled_at, updated_at)
       values (?, ?, ?, null, now())
       on conflict (user_id, event_id) do update set ticket_tier = excluded.ticket_tier,
         cancelled_at = null, updated_at = now()`,
      [registration.userId, registration.eventId, registration.ticketTier],
    );
  }

  async cancelRegistration(key: { userId: string; eventId: string }): Promise<void> {
    await this.em.execute(
      `update platform_registrations set cancelled_at = now(), updated_at = now()
        where user_id = ? and event_id = ? and cancelled_at is null`,
      [key.userId, key.eventId],
    );
  }

  /** Applies a whole seed file; idempotent, so it can run on every start. */
  async applySeed(seed: SeedFile): Promise<void> {
    for (const user of seed.users) await this.upsertUser(user);
    for (const organization of seed.organizations) await this.upsertOrganization(organization);
    for (const event of seed.events) await this.upsertEvent(event);
    for (const session of seed.sessions) await this.upsertSession(session);
    for (const registration of seed.registrations) await this.upsertRegistration(registration);
  }
}
