/**
 * A Postgres array literal for one positional binding (`= any(?::text[])`). Knex expands a JS array
 * bound to `?` into a comma-separated list, so arrays travel as their text form instead.
 */
export function pgArray(values: readonly (string | number)[]): string {
  return `{${values.map((value) => `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
