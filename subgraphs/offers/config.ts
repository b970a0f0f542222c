import { z } from 'zod';
import { ConfigError, configValues, defineConfigSection } from '../../kernel/config';

const { integer, optionalString } = configValues;

/** The offers subgraph's settings: reservations, maintenance sweeps and the Stripe client. */
export const offersConfig = defineConfigSection(
  'offers',
  z.object({
    OFFER_RESERVATION_TTL_MINUTES: integer(1, 1440, 15),
    OFFER_RESERVATION_SWEEP_MS: integer(50, 86_400_000, 5 * 60_000),
    OFFER_EXPIRY_SWEEP_MS: integer(50, 86_400_000, 30 * 60_000),
    OFFER_MAX_RESERVED_UNITS_PER_USER: integer(1, 20, 20),
    STRIPE_SECRET_KEY: optionalString,
    STRIPE_WEBHOOK_SECRET: optionalString,
    STRIPE_API_HOST: optionalString,
    STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
    STRIPE_TIMEOUT_MS: integer(100, 120_000, 10_000),
    STRIPE_MAX_NETWORK_RETRIES: integer(0, 5, 1),
  }),
  (e) => {
    if (e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET) {
      throw new ConfigError('Environment variable STRIPE_WEBHOOK_SECRET must be set when STRIPE_SECRET_KEY is set.');
    }
    return {
      /** How long a purchase holds its units while the buyer pays. */
      reservationTtlMinutes: e.OFFER_RESERVATION_TTL_MINUTES,
      /** How often stale reservations are released (and stalled fulfillments resumed). */
      reservationSweepMs: e.OFFER_RESERVATION_SWEEP_MS,
      /** How often offers past their end are deactivated. */
      expirySweepMs: e.OFFER_EXPIRY_SWEEP_MS,
      /** Units one user may hold in open (RESERVED) purchases of one offer. */
      maxReservedUnitsPerUser: e.OFFER_MAX_RESERVED_UNITS_PER_USER,
      stripe: {
        secretKey: e.STRIPE_SECRET_KEY,
        webhookSecret: e.STRIPE_WEBHOOK_SECRET,
        host: e.STRIPE_API_HOST,
        port: e.STRIPE_API_PORT,
        protocol: e.STRIPE_API_PROTOCOL,
        /** Per-request timeout of the Stripe client. */
        timeoutMs: e.STRIPE_TIMEOUT_MS,
        /** Retries of the Stripe client on network errors and 5xx (safe: every request carries an idempotency key). */
        maxNetworkRetries: e.STRIPE_MAX_NETWORK_RETRIES,
      },
    };
  },
);

export type OffersConfig = ReturnType<typeof offersConfig.of>;
