const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids of our own rows are UUIDs; anything else cannot name one and is answered as not found. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
