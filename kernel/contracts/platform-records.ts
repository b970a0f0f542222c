import { z } from 'zod';

/** The platform's records, as in SEED_FILE and the data of `platform.events.v1` messages. */
export const UserRecord = z.object({ id: z.string().min(1), email: z.string().email(), name: z.string().min(1) });
export const OrganizationRecord = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  members: z.array(z.string().min(1)).default([]),
});
export const SessionRecord = z.object({
  id: z.string().min(1),
  eventId: z.string().min(1).optional(),
  title: z.string().min(1),
  capacity: z.number().int().min(0),
  startsAt: z.string().datetime({ offset: true }),
});
export const EventRecord = z.object({
  id: z.string().min(1),
  organizationId: z.string().min(1),
  ownerId: z.string().min(1),
  name: z.string().min(1),
  isPublic: z.boolean(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  sessions: z.array(SessionRecord).optional(),
});
export const RegistrationRecord = z.object({
  userId: z.string().min(1),
  eventId: z.string().min(1),
  ticketTier: z.string().min(1).default('GENERAL'),
});
export const RegistrationKey = z.object({ userId: z.string().min(1), eventId: z.string().min(1) });

export const SeedFile = z.object({
  users: z.array(UserRecord).default([]),
  organizations: z.array(OrganizationRecord).default([]),
  events: z.array(EventRecord).default([]),
  sessions: z.array(SessionRecord.required({ eventId: true })).default([]),
  registrations: z.array(RegistrationRecord).default([]),
});

export type UserRecord = z.infer<typeof UserRecord>;
export type OrganizationRecord = z.infer<typeof OrganizationRecord>;
export type SessionRecord = z.infer<typeof SessionRecord>;
export type EventRecord = z.infer<typeof EventRecord>;
export type RegistrationRecord = z.infer<typeof RegistrationRecord>;
export type SeedFile = z.infer<typeof SeedFile>;

/** The message types on `platform.events.v1`. */
export const PLATFORM_TOPIC = 'platform.events.v1';
export const PlatformMessageTypes = {
  UserUpserted: UserRecord,
  OrganizationUpserted: OrganizationRecord,
  EventUpserted: EventRecord,
  SessionUpserted: SessionRecord.required({ eventId: true }),
  RegistrationUpserted: RegistrationRecord,
  RegistrationCancelled: RegistrationKey,
} as const;
export type PlatformMessageType = keyof typeof PlatformMessageTypes;
