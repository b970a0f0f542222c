import { z } from 'zod';
import { ConfigError, configValues, defineConfigSection, loadConfig } from '../../kernel/config';
import { adsConfig } from '../../subgraphs/ads/config';
import { analyticsConfig } from '../../subgraphs/analytics/config';
import { offersConfig } from '../../subgraphs/offers/config';
import { configSectionsOf } from '../../subgraphs/registry';
import { waitlistConfig } from '../../subgraphs/waitlist/config';

describe("each subgraph's config section", () => {
  const sections = configSectionsOf();

  it('registers the four sections, each from its own folder', () => {
    expect(sections).toEqual([offersConfig, adsConfig, waitlistConfig, analyticsConfig]);
  });

  it('keeps the defaults the variables had in the kernel', () => {
    const config = loadConfig({}, sections);
    expect(offersConfig.of(config)).toEqual({
      reservationTtlMinutes: 15,
      reservationSweepMs: 300_000,
      expirySweepMs: 1_800_000,
      maxReservedUnitsPerUser: 20,
      stripe: { timeoutMs: 10_000, maxNetworkRetries: 1 },
    });
    expect(adsConfig.of(config)).toEqual({ capTimeoutMs: 150, capCooldownMs: 10_000, degradedWarnEveryMs: 60_000, anonymousImpressionWindowMs: 3_600_000 });
    expect(waitlistConfig.of(config)).toEqual({ offerTtlMinutes: 30, sweepIntervalMs: 15_000 });
    expect(analyticsConfig.of(config)).toEqual({ scheduleTickMs: 60_000 });
  });

  it('reads the variables', () => {
    const config = loadConfig(
      {
        ADS_CAP_TIMEOUT_MS: '80',
        ADS_CAP_COOLDOWN_MS: '300',
        ADS_DEGRADED_WARN_MS: '0',
        OFFER_RESERVATION_TTL_MINUTES: '5',
        STRIPE_SECRET_KEY: 'sk_test_1',
        STRIPE_WEBHOOK_SECRET: 'whsec_1',
        STRIPE_API_PORT: '12111',
        STRIPE_API_PROTOCOL: 'http',
        WAITLIST_OFFER_TTL_MINUTES: '0.5',
        WAITLIST_OFFER_SECRET: 'offer-secret',
        REPORT_SCHEDULE_TICK_MS: '500',
      },
      sections,
    );
    expect(adsConfig.of(config)).toEqual({ capTimeoutMs: 80, capCooldownMs: 300, degradedWarnEveryMs: 0, anonymousImpressionWindowMs: 3_600_000 });
    expect(offersConfig.of(config)).toMatchObject({
      reservationTtlMinutes: 5,
      stripe: { secretKey: 'sk_test_1', webhookSecret: 'whsec_1', port: 12111, protocol: 'http' },
    });
    expect(waitlistConfig.of(config)).toMatchObject({ offerTtlMinutes: 0.5, offerSecret: 'offer-secret' });
    expect(analyticsConfig.of(config).scheduleTickMs).toBe(500);
  });

  it.each([
    ['ADS_CAP_TIMEOUT_MS', 'fast'],
    ['ADS_CAP_TIMEOUT_MS', '0'],
    ['ADS_CAP_TIMEOUT_MS', '60000'],
    ['ADS_CAP_COOLDOWN_MS', '-1'],
    ['ADS_DEGRADED_WARN_MS', '1.5'],
    ['OFFER_MAX_RESERVED_UNITS_PER_USER', '21'],
    ['STRIPE_API_PROTOCOL', 'ftp'],
    ['WAITLIST_OFFER_TTL_MINUTES', '0'],
    ['REPORT_SCHEDULE_TICK_MS', '10'],
  ])('stops with a sentence naming %s when it is %p', (variable, value) => {
    expect(() => loadConfig({ [variable]: value }, sections)).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value }, sections)).toThrow(new RegExp(`Environment variable ${variable} is invalid`));
  });

  it("names every bad variable, the kernel's and the sections' alike", () => {
    expect(() => loadConfig({ GATEWAY_PORT: 'eighty', ADS_CAP_COOLDOWN_MS: '-1' }, sections)).toThrow(/GATEWAY_PORT is invalid.*ADS_CAP_COOLDOWN_MS is invalid/s);
  });

  it('refuses a Stripe key without its webhook secret', () => {
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1' }, sections)).toThrow(/STRIPE_WEBHOOK_SECRET must be set/);
  });

  it('validates only the sections handed in: the gateway alone ignores the subgraphs’ variables', () => {
    const config = loadConfig({ ADS_CAP_TIMEOUT_MS: 'fast' });
    expect(() => adsConfig.of(config)).toThrow(/"ads" config section was not registered/);
  });

  it('refuses two sections reading one variable, or a section reading a kernel variable', () => {
    const twin = defineConfigSection('ads-twin', z.object({ ADS_CAP_TIMEOUT_MS: configValues.integer(1, 10, 5) }), (e) => e);
    expect(() => loadConfig({}, [adsConfig, twin])).toThrow(/ADS_CAP_TIMEOUT_MS is read by both the "ads" config section and the "ads-twin"/);
    const greedy = defineConfigSection('greedy', z.object({ GATEWAY_PORT: configValues.port(1) }), (e) => e);
    expect(() => loadConfig({}, [greedy])).toThrow(/GATEWAY_PORT is read by both the kernel and the "greedy"/);
    expect(() => loadConfig({}, [adsConfig, adsConfig])).toThrow(/Two config sections are named "ads"/);
  });
});
