import { ReferenceKind, type EntityClass, type EntityMetadata } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

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
