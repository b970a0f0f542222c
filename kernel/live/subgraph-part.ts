import type { IRules } from 'graphql-shield';

/** The resolvers and shield rules of a subgraph's live subscriptions (`subscriptions.ts`). */
export interface SubscriptionPart {
  resolvers: object;
  permissions: IRules;
}

/**
 * Adds a subgraph's subscription resolvers and rules to its own, type by type and field by field,
 * so that `subscriptions.ts` lives beside `subscriptions.graphql` without editing `resolvers.ts`
 * or `permissions.ts`. Where both define the same thing (a shared type such as `Money` or
 * `DateTime`), the subgraph's own definition wins: the subscription part only fills gaps, so it
 * can never loosen a rule the subgraph set.
 */
export function withSubscriptions(
  base: { resolvers: object; permissions: IRules },
  part: SubscriptionPart,
): { resolvers: object; permissions: IRules } {
  return {
    resolvers: fillGaps(base.resolvers as Record<string, unknown>, part.resolvers as Record<string, unknown>),
    permissions: fillGaps(base.permissions as Record<string, unknown>, part.permissions as Record<string, unknown>) as IRules,
  };
}

function fillGaps(base: Record<string, unknown>, part: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [type, value] of Object.entries(part)) {
    const own = merged[type];
    if (own === undefined) merged[type] = value;
    else if (isPlainObject(own) && isPlainObject(value)) merged[type] = { ...value, ...own };
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
