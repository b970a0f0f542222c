import { ReferenceKind, type EntityClass, type EntityMetadata } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { groupByKeys } from '../loader';
import { readRows } from './read-rows';
import { pgArray } from './sql';

/** How to read an entity's table as plain objects: its columns for a select list, and the row mapper. */
export interface PlainRows<T> {
  table: string;
  /** Every column of the entity's scalar properties, quoted, for `select ${columns} from ${table}`. */
  columns: string;
  /** A row (column names, driver values) as an object with the entity's property names and JS values. */
  map(row: Record<string, unknown>): T;
}

const readers = new WeakMap<EntityMetadata, PlainRows<unknown>>();

/**
 * Rows of an entity's table as plain objects shaped like the entity, from MikroORM's own metadata
 * (column names, custom types such as bigint as number), for read-only paths: no query builder, no
 * hydration, no identity map. What it returns is not managed: never persist or flush it.
 */
export function plainRows<T extends object>(em: EntityManager, entity: EntityClass<T>): PlainRows<T> {
  const meta = em.getMetadata().get<T>(entity.name);
  let reader = readers.get(meta) as PlainRows<T> | undefined;
  if (reader) return reader;
  const platform = em.getPlatform();
  const props = meta.props.filter((prop) => prop.kind === ReferenceKind.SCALAR && prop.persist !== false && prop.fieldNames?.length === 1);
  const fields = props.map((prop) => ({ name: prop.name as string, column: prop.fieldNames[0], type: prop.customType, date: prop.runtimeType === 'Date' }));
  reader = {
    table: meta.tableName,
    columns: fields.map((field) => `"${field.column}"`).join(', '),
    map: (row) => {
      const plain: Record<string, unknown> = {};
      for (const { name, column, type, date } of fields) {
        const value = row[column];
        // The driver hands timestamps over as text; the ORM's hydration parses them the same way.
        if (value == null || value instanceof Date) plain[name] = value;
        else if (date) plain[name] = platform.parseDate(value as string);
        else plain[name] = type ? type.convertToJSValue(value, platform) : value;
      }
      return plain as T;
    },
  };
  readers.set(meta, reader as PlainRows<unknown>);
  return reader;
}

/**
 * Each event's rows of an entity table keyed by `event_id` (an event's offers, its ads), oldest
 * first, as plain objects: one statement for every event asked. Read only, like {@link plainRows}.
 */
export async function plainRowsByEvent<T extends { eventId: string }>(em: EntityManager, entity: EntityClass<T>, eventIds: readonly string[]): Promise<T[][]> {
  const rows = plainRows(em, entity);
  const found = await readRows<Record<string, unknown>>(
    em,
    `select ${rows.columns} from ${rows.table} where event_id = any(?::text[]) order by created_at asc, id asc`,
    [pgArray(eventIds)],
  );
  return groupByKeys(eventIds, found.map(rows.map), (row) => row.eventId);
}
