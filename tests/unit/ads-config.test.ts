import { ConfigError, loadConfig } from '../../kernel/config';

describe('ad frequency-cap settings read from the environment', () => {
  it('defaults to a 150 ms check, a 10 s cool-down and one warning a minute', () => {
    expect(loadConfig({}).ads).toEqual({ capTimeoutMs: 150, capCooldownMs: 10_000, degradedWarnEveryMs: 60_000, anonymousImpressionWindowMs: 3_600_000 });
  });

  it('reads the variables', () => {
    const config = loadConfig({ ADS_CAP_TIMEOUT_MS: '80', ADS_CAP_COOLDOWN_MS: '300', ADS_DEGRADED_WARN_MS: '0' });
    expect(config.ads).toEqual({ capTimeoutMs: 80, capCooldownMs: 300, degradedWarnEveryMs: 0, anonymousImpressionWindowMs: 3_600_000 });
  });

  it.each([
    ['ADS_CAP_TIMEOUT_MS', 'fast'],
    ['ADS_CAP_TIMEOUT_MS', '0'],
    ['ADS_CAP_TIMEOUT_MS', '60000'],
    ['ADS_CAP_COOLDOWN_MS', '-1'],
    ['ADS_DEGRADED_WARN_MS', '1.5'],
  ])('stops with a sentence naming %s when it is %p', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`Environment variable ${variable} is invalid`));
  });
});
