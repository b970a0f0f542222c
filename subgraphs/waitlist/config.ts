import { z } from 'zod';
import { configValues, defineConfigSection } from '../../kernel/config';

const { integer, optionalString } = configValues;

/**
 * The waitlist subgraph's settings: how long an offer stays open, the secret that signs offer
 * tokens (when unset the waitlist derives one from SUBGRAPH_SECRET under its own label), and how
 * often expired offers are swept.
 */
export const waitlistConfig = defineConfigSection(
  'waitlist',
  z.object({
    WAITLIST_OFFER_TTL_MINUTES: z.coerce.number().positive().max(10_080).default(30),
    WAITLIST_OFFER_SECRET: optionalString,
    WAITLIST_SWEEP_INTERVAL_MS: integer(50, 3_600_000, 15_000),
  }),
  (e) => ({
    offerTtlMinutes: e.WAITLIST_OFFER_TTL_MINUTES,
    offerSecret: e.WAITLIST_OFFER_SECRET,
    sweepIntervalMs: e.WAITLIST_SWEEP_INTERVAL_MS,
  }),
);
