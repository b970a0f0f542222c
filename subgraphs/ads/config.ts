import { z } from 'zod';
import { configValues, defineConfigSection } from '../../kernel/config';

const { integer } = configValues;

/**
 * The ads subgraph's settings. Frequency caps: how long one Redis check may take before serving
 * fails closed, how long the circuit stays open before Redis is tried again, and how often the
 * degraded warning is logged.
 */
export const adsConfig = defineConfigSection(
  'ads',
  z.object({
    ADS_CAP_TIMEOUT_MS: integer(10, 5000, 150),
    ADS_CAP_COOLDOWN_MS: integer(50, 600_000, 10_000),
    ADS_DEGRADED_WARN_MS: integer(0, 3_600_000, 60_000),
    ADS_ANONYMOUS_IMPRESSION_WINDOW_MS: integer(0, 86_400_000, 3_600_000),
  }),
  (e) => ({
    capTimeoutMs: e.ADS_CAP_TIMEOUT_MS,
    capCooldownMs: e.ADS_CAP_COOLDOWN_MS,
    degradedWarnEveryMs: e.ADS_DEGRADED_WARN_MS,
    /** An anonymous viewer's impressions of one ad count once per this window (0: every one counts). */
    anonymousImpressionWindowMs: e.ADS_ANONYMOUS_IMPRESSION_WINDOW_MS,
  }),
);
