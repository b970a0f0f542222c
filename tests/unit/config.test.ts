import { ConfigError, loadConfig } from '../../kernel/config';

describe('configuration read from the environment', () => {
  it('runs embedded when no service URL is set', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('embedded');
    expect(config.gateway.port).toBe(4000);
    expect(config.subgraphs.urls.offers).toBe('http://127.0.0.1:4001/graphql');
  });

  it('uses the real services when their URLs are set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      REDIS_URL: 'redis://cache:6379',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
    });
    expect(config.mode).toBe('services');
    expect(config.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
  });

  it.each([
    ['GATEWAY_PORT', 'eighty'],
    ['GATEWAY_PORT', '70000'],
    ['DATABASE_URL', 'mysql://db/app'],
    ['REDIS_URL', 'http://cache'],
    ['KAFKA_BROKERS', 'k1'],
    ['NODE_ENV', 'staging'],
    ['OUTBOX_POLL_MS', '0'],
  ])('stops with a sentence naming %s when it is %p', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`Environment variable ${variable} is invalid`));
  });

  it('requires real secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET must be set/);
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) })).toThrow(/SUBGRAPH_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32), SUBGRAPH_SECRET: 'y'.repeat(32) }).env).toBe(
      'production',
    );
  });

  it('refuses placeholder secrets in production', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'change-me-jwt-secret-0123456789abcdef', SUBGRAPH_SECRET: 'y'.repeat(32) }),
    ).toThrow(/AUTH_JWT_SECRET holds a placeholder/);
  });

  it('refuses a Stripe key without its webhook secret', () => {
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
  });
});
