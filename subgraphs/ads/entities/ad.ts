import { randomUUID } from 'node:crypto';
import { ArrayType, EntitySchema } from '@mikro-orm/core';
import { nullableTimestamptz, timestamptz } from '../../../kernel/db/columns';

/** A sponsor creative shown in an event's placements. */
export class Ad {
  id: string = randomUUID();
  isActive = true;
  startsAt: Date | null = null;
  endsAt: Date | null = null;
  placements: string[] = [];
  targetSessions: string[] = [];
  frequencyCap: number | null = null;
  aspectRatio: string | null = null;
  weight = 1;
  createdAt = new Date();
  updatedAt = new Date();

  constructor(
    public eventId: string,
    public name: string,
    public mediaUrl: string,
    public clickUrl: string,
  ) {}
}

export const AdSchema = new EntitySchema<Ad>({
  class: Ad,
  tableName: 'ads',
  properties: {
    id: { type: 'uuid', primary: true },
    eventId: { type: 'string', columnType: 'text' },
    name: { type: 'string', length: 200 },
    mediaUrl: { type: 'string', length: 2048 },
    clickUrl: { type: 'string', length: 2048 },
    isActive: { type: 'boolean' },
    startsAt: nullableTimestamptz(),
    endsAt: nullableTimestamptz(),
    placements: { type: ArrayType, columnType: 'text[]' },
    targetSessions: { type: ArrayType, columnType: 'text[]' },
    frequencyCap: { type: 'integer', nullable: true },
    aspectRatio: { type: 'string', length: 20, nullable: true },
    weight: { type: 'integer' },
    createdAt: timestamptz(),
    updatedAt: timestamptz({ onUpdate: () => new Date() }),
  },
});
