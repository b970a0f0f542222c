import { EntitySchema } from '@mikro-orm/core';
import { nullableTimestamptz, timestamptz } from '../db/columns';

export class PlatformUser {
  updatedAt = new Date();
  constructor(
    public id: string,
    public email: string,
    public name: string,
  ) {}
}

export class PlatformOrganization {
  updatedAt = new Date();
  constructor(
    public id: string,
    public name: string,
  ) {}
}

export class OrganizationMember {
  constructor(
    public organizationId: string,
    public userId: string,
  ) {}
}

export class PlatformEvent {
  updatedAt = new Date();
  constructor(
    public id: string,
    public organizationId: string,
    public ownerId: string,
    public name: string,
    public isPublic: boolean,
    public currency: string,
  ) {}
}

export class PlatformSession {
  updatedAt = new Date();
  constructor(
    public id: string,
    public eventId: string,
    public title: string,
    public capacity: number,
    public startsAt: Date,
  ) {}
}

export class Registration {
  cancelledAt: Date | null = null;
  updatedAt = new Date();
  constructor(
    public userId: string,
    public eventId: string,
    public ticketTier: string,
  ) {}
}

export const PlatformUserSchema = new EntitySchema<PlatformUser>({
  class: PlatformUser,
  tableName: 'platform_users',
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    email: { type: 'string', columnType: 'text' },
    name: { type: 'string', columnType: 'text' },
    updatedAt: timestamptz(),
  },
});

export const PlatformOrganizationSchema = new EntitySchema<PlatformOrganization>({
  class: PlatformOrganization,
  tableName: 'platform_organizations',
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    name: { type: 'string', columnType: 'text' },
    updatedAt: timestamptz(),
  },
});

export const OrganizationMemberSchema = new EntitySchema<OrganizationMember>({
  class: OrganizationMember,
  tableName: 'platform_organization_members',
  properties: {
    organizationId: { type: 'string', columnType: 'text', primary: true },
    userId: { type: 'string', columnType: 'text', primary: true },
  },
});

export const PlatformEventSchema = new EntitySchema<PlatformEvent>({
  class: PlatformEvent,
  tableName: 'platform_events',
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    organizationId: { type: 'string', columnType: 'text' },
    ownerId: { type: 'string', columnType: 'text' },
    name: { type: 'string', columnType: 'text' },
    isPublic: { type: 'boolean' },
    currency: { type: 'string', columnType: 'char(3)' },
    updatedAt: timestamptz(),
  },
});

export const PlatformSessionSchema = new EntitySchema<PlatformSession>({
  class: PlatformSession,
  tableName: 'platform_sessions',
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    eventId: { type: 'string', columnType: 'text' },
    title: { type: 'string', columnType: 'text' },
    capacity: { type: 'integer' },
    startsAt: timestamptz(),
    updatedAt: timestamptz(),
  },
});

export const RegistrationSchema = new EntitySchema<Registration>({
  class: Registration,
  tableName: 'platform_registrations',
  properties: {
    userId: { type: 'string', columnType: 'text', primary: true },
    eventId: { type: 'string', columnType: 'text', primary: true },
    ticketTier: { type: 'string', columnType: 'text' },
    cancelledAt: nullableTimestamptz(),
    updatedAt: timestamptz(),
  },
});

export const platformEntities = [
  PlatformUserSchema,
  PlatformOrganizationSchema,
  OrganizationMemberSchema,
  PlatformEventSchema,
  PlatformSessionSchema,
  RegistrationSchema,
];
