import { badUserInput } from '../../kernel/errors';
import type { EventAccess } from '../../kernel/platform/access';
import { checkWebUrl } from '../../kernel/validation/url';
import type { CreateAdInput, UpdateAdInput } from './generated/resolvers-types';

/** Everything an organizer configures on an ad, validated and normalized. */
export interface AdSettings {
  name: string;
  mediaUrl: string;
  clickUrl: string;
  isActive: boolean;
  startsAt: Date | null;
  endsAt: Date | null;
  placements: string[];
  targetSessions: string[];
  frequencyCap: number | null;
  aspectRatio: string | null;
  weight: number;
}

export const LIMITS = {
  nameLength: 200,
  placements: 20,
  placementLength: 64,
  targetSessions: 100,
  frequencyCap: 1000,
  weight: 1000,
} as const;

const PLACEMENT = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${LIMITS.placementLength - 1}}$`);
/** A placement name as organizers configure it and clients ask for it, e.g. lobby-banner. */
export const isPlacementName = (value: string): boolean => PLACEMENT.test(value);
/** The same rule as the database's CHECK on ads.aspect_ratio. */
const ASPECT_RATIO = /^[1-9][0-9]{0,3}:[1-9][0-9]{0,3}$/;

type Field = keyof AdSettings;
const path = (field: Field) => `input.${field}`;

/**
 * One checker per field: it returns the value to store or throws BAD_USER_INPUT naming the field
 * and saying what is allowed. Nothing reaches the database unchecked; its CHECK constraints are the
 * last line, not the first.
 */
const check = {
  name(value: string): string {
    const name = value.trim();
    // Code points, as PostgreSQL's char_length counts them.
    const length = [...name].length;
    if (length < 1 || length > LIMITS.nameLength) {
      throw badUserInput(path('name'), `name must be 1 to ${LIMITS.nameLength} characters, not blank (got ${length}).`);
    }
    return name;
  },
  url(field: 'mediaUrl' | 'clickUrl', value: string): string {
    const result = checkWebUrl(value);
    if (!result.ok) throw badUserInput(path(field), `${field} ${result.problem}.`);
    return result.href;
  },
  placements(values: readonly string[]): string[] {
    if (values.length > LIMITS.placements) {
      throw badUserInput(path('placements'), `placements may list at most ${LIMITS.placements} placements.`);
    }
    for (const placement of values) {
      if (!isPlacementName(placement)) {
        throw badUserInput(
          path('placements'),
          `Each placement must be 1 to ${LIMITS.placementLength} letters, digits, '.', '_' or '-', ` +
            `starting with a letter or digit (got ${JSON.stringify(placement.slice(0, 80))}).`,
        );
      }
    }
    return [...new Set(values)];
  },
  targetSessionCount(values: readonly string[]): string[] {
    if (values.length > LIMITS.targetSessions) {
      throw badUserInput(path('targetSessions'), `targetSessions may list at most ${LIMITS.targetSessions} sessions.`);
    }
    return [...new Set(values)];
  },
  frequencyCap(value: number | null): number | null {
    if (value !== null && (value < 1 || value > LIMITS.frequencyCap)) {
      throw badUserInput(
        path('frequencyCap'),
        `frequencyCap must be 1 to ${LIMITS.frequencyCap} impressions per user per 24 hours, or null for no cap.`,
      );
    }
    return value;
  },
  aspectRatio(value: string | null): string | null {
    if (value !== null && !ASPECT_RATIO.test(value)) {
      throw badUserInput(path('aspectRatio'), 'aspectRatio must be width:height in whole numbers from 1 to 9999, e.g. 16:9.');
    }
    return value;
  },
  weight(value: number): number {
    if (value < 1 || value > LIMITS.weight) {
      throw badUserInput(path('weight'), `weight must be a whole number from 1 to ${LIMITS.weight}.`);
    }
    return value;
  },
  schedule(startsAt: Date | null, endsAt: Date | null): void {
    if (startsAt && endsAt && startsAt >= endsAt) {
      throw badUserInput(path('endsAt'), 'endsAt must be after startsAt.');
    }
  },
};

/** Validates a new ad's input; session targeting is checked against the event by {@link checkTargetSessions}. */
export function validateCreateInput(input: CreateAdInput): AdSettings {
  const settings: AdSettings = {
    name: check.name(input.name),
    mediaUrl: check.url('mediaUrl', input.mediaUrl),
    clickUrl: check.url('clickUrl', input.clickUrl),
    isActive: input.isActive ?? true,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
    placements: check.placements(input.placements ?? []),
    targetSessions: check.targetSessionCount(input.targetSessions ?? []),
    frequencyCap: check.frequencyCap(input.frequencyCap ?? null),
    aspectRatio: check.aspectRatio(input.aspectRatio ?? null),
    weight: check.weight(input.weight ?? 1),
  };
  check.schedule(settings.startsAt, settings.endsAt);
  return settings;
}

/**
 * Validates a change to `current`: an omitted field stays, null clears the optional ones and is
 * refused for the others. The schedule is checked on the result, so moving only one end is safe.
 */
export function validateUpdateInput(current: AdSettings, input: UpdateAdInput): Partial<AdSettings> {
  const changes: Partial<AdSettings> = {};
  const given = <K extends keyof UpdateAdInput>(field: K & Field): boolean => {
    if (!(field in input) || input[field] === undefined) return false;
    if (input[field] === null && !CLEARABLE.has(field)) {
      throw badUserInput(path(field), `${field} cannot be null; leave it out to keep the current value.`);
    }
    return true;
  };
  if (given('name')) changes.name = check.name(input.name!);
  if (given('mediaUrl')) changes.mediaUrl = check.url('mediaUrl', input.mediaUrl!);
  if (given('clickUrl')) changes.clickUrl = check.url('clickUrl', input.clickUrl!);
  if (given('isActive')) changes.isActive = input.isActive!;
  if (given('startsAt')) changes.startsAt = input.startsAt ?? null;
  if (given('endsAt')) changes.endsAt = input.endsAt ?? null;
  if (given('placements')) changes.placements = check.placements(input.placements!);
  if (given('targetSessions')) changes.targetSessions = check.targetSessionCount(input.targetSessions!);
  if (given('frequencyCap')) changes.frequencyCap = check.frequencyCap(input.frequencyCap ?? null);
  if (given('aspectRatio')) changes.aspectRatio = check.aspectRatio(input.aspectRatio ?? null);
  if (given('weight')) changes.weight = check.weight(input.weight!);
  check.schedule(
    changes.startsAt !== undefined ? changes.startsAt : current.startsAt,
    changes.endsAt !== undefined ? changes.endsAt : current.endsAt,
  );
  return changes;
}

const CLEARABLE = new Set<Field>(['startsAt', 'endsAt', 'frequencyCap', 'aspectRatio']);

/** Every targeted session must be a session of the ad's event (one batched lookup). */
export async function checkTargetSessions(access: EventAccess, eventId: string, sessionIds: readonly string[]): Promise<void> {
  const sessions = await Promise.all(sessionIds.map((id) => access.sessions.load(id)));
  const stranger = sessionIds.find((id, index) => sessions[index]?.eventId !== eventId);
  if (stranger !== undefined) {
    throw badUserInput(
      path('targetSessions'),
      `targetSessions may only name sessions of the ad's event; ${JSON.stringify(stranger.slice(0, 80))} is not one.`,
    );
  }
}
