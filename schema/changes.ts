import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';

export type ChangeLevel = 'breaking' | 'dangerous' | 'safe';

/** One difference between the committed API schema and the proposed one. */
export interface SchemaChange {
  level: ChangeLevel;
  /** graphql-inspector's change type, e.g. FIELD_REMOVED. */
  type: string;
  message: string;
  /** The schema coordinate the change is at, e.g. `Offer.title` or `Query.activeOffers.limit`. */
  path?: string;
  /** Why graphql-inspector rates it so, when it says. */
  reason?: string;
  /** Coordinates an operation must use for the change to concern it (see `usageCoordinates`). */
  usageCoordinates: string[];
}

const LEVELS: Record<CriticalityLevel, ChangeLevel> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};

/** Changes that concern every operation touching the field, whether or not it passes the argument. */
const FIELD_LEVEL_ARGUMENT_CHANGES = new Set(['FIELD_ARGUMENT_ADDED', 'FIELD_ARGUMENT_TYPE_CHANGED', 'FIELD_ARGUMENT_DEFAULT_CHANGED']);

/**
 * The coordinates an operation must use for a change to concern it. Most changes concern the
 * coordinate they are at; an argument that becomes required concerns every use of its field; a
 * change to an enum's values or an input type's fields concerns every use of the type (variables
 * carry whole input objects, responses carry any enum value).
 */
export function usageCoordinates(change: Pick<Change, 'type' | 'path'>): string[] {
  if (!change.path) return [];
  const segments = change.path.split('.');
  if (FIELD_LEVEL_ARGUMENT_CHANGES.has(change.type)) return [segments.slice(0, 2).join('.')];
  if (change.type.startsWith('ENUM_VALUE_') || change.type.startsWith('INPUT_FIELD_')) return [segments[0]];
  return [change.path];
}

/** Every change between two API schemas, classified by graphql-inspector's rules. */
export async function classifyChanges(oldSchema: GraphQLSchema, newSchema: GraphQLSchema): Promise<SchemaChange[]> {
  const changes = await diff(oldSchema, newSchema);
  return changes.map((change) => ({
    level: LEVELS[change.criticality.level],
    type: change.type,
    message: change.message,
    path: change.path,
    reason: change.criticality.reason,
    usageCoordinates: usageCoordinates(change),
  }));
}
