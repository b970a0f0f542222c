/** The longest placement name. */
export const MAX_PLACEMENT_LENGTH = 64;

const PLACEMENT = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${MAX_PLACEMENT_LENGTH - 1}}$`);

/**
 * The one placement rule (offers' `placement`, ads' `placements`, `adsForContext(placement)`): a
 * name as organizers configure it and clients ask for it, e.g. lobby-banner.
 */
export const isPlacementName = (value: string): boolean => PLACEMENT.test(value);

/** What {@link isPlacementName} allows, in words for a BAD_USER_INPUT message. */
export const PLACEMENT_RULE = `1 to ${MAX_PLACEMENT_LENGTH} letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. lobby-banner`;
