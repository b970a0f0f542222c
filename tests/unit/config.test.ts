import { ConfigError, loadConfig } from '../../kernel/config';

describe('configuration read from the environment', () => {
  it('runs embedded when no service URL is set', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('embedded');
    expect(config.gateway.port).toBe(4000);
    expect(config.subgraphs.urls.offers).toBe('http://127.0.0.1:4001/graphql');
  });

  it('serves metrics on port 9464 without a token by default; METRICS_* change that', () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: true, host: '0.0.0.0', port: 9464, token: undefined });
    expect(loadConfig({ METRICS_ENABLED: 'false', METRICS_PORT: '9100', METRICS_TOKEN: 'a-long-enough-token' }).metrics).toEqual({
      enabled: false,
      host: '0.0.0.0',
      port: 9100,
      token: 'a-long-enough-token',
    });
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
    ['OPERATION_MAX_COST', 'lots'],
    ['OPERATION_DEFAULT_LIST_SIZE', '0'],
    ['OPERATION_MAX_DEPTH', '-1'],
    ['SUBSCRIPTION_MAX_EVENT_BYTES', '10'],
    ['REDIS_URL', 'redis+cluster://'],
    ['REDIS_URL', 'redis+cluster://c1:7000,c2'],
    ['REDIS_CLUSTER_NODES', 'c1:7000,c2'],
    ['REDIS_CLUSTER_NODES', 'c1:70000'],
    ['KAFKA_TOPIC_PARTITIONS', '0'],
    ['METRICS_PORT', 'prometheus'],
    ['METRICS_TOKEN', 'short'],
    ['METRICS_ENABLED', 'maybe'],
  ])('stops with a sentence naming %s when it is %p', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`Environment variable ${variable} is invalid`));
  });

  it('connects to one Redis node, or to a cluster from REDIS_CLUSTER_NODES or a redis+cluster:// URL', () => {
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379' }).redis).toEqual({ url: 'redis://cache:6379' });
    const fromNodes = loadConfig({ REDIS_CLUSTER_NODES: 'c1:7000, c2:7001' });
    expect(fromNodes.mode).toBe('services');
    expect(fromNodes.redis).toEqual({ cluster: { nodes: [{ host: 'c1', port: 7000 }, { host: 'c2', port: 7001 }], tls: false } });
    expect(loadConfig({ REDIS_URL: 'rediss+cluster://app:s%3Acret@c1:7000,c2:7001' }).redis).toEqual({
      cluster: { nodes: [{ host: 'c1', port: 7000 }, { host: 'c2', port: 7001 }], username: 'app', password: 's:cret', tls: true },
    });
    expect(loadConfig({ REDIS_URL: 'redis+cluster://:pw@c1:7000' }).redis.cluster).toMatchObject({ username: undefined, password: 'pw' });
    expect(() => loadConfig({ REDIS_URL: 'redis://cache:6379', REDIS_CLUSTER_NODES: 'c1:7000' })).toThrow(
      /REDIS_URL and REDIS_CLUSTER_NODES are both set/,
    );
  });

  it('creates topics with six partitions unless KAFKA_TOPIC_PARTITIONS says otherwise', () => {
    expect(loadConfig({}).kafka.topicPartitions).toBe(6);
    expect(loadConfig({ KAFKA_TOPIC_PARTITIONS: '24' }).kafka.topicPartitions).toBe(24);
  });

  it('reads the operation limits, with defaults that fit the contract', () => {
    expect(loadConfig({}).gateway.limits).toEqual({ maxDepth: 12, maxAliases: 15, maxTokens: 3000, maxDirectives: 25, maxCost: 10_000, defaultListSize: 10 });
    const limits = loadConfig({ OPERATION_MAX_COST: '50000', OPERATION_DEFAULT_LIST_SIZE: '20', OPERATION_MAX_ALIASES: '30' }).gateway.limits;
    expect(limits).toMatchObject({ maxCost: 50_000, defaultListSize: 20, maxAliases: 30 });
    expect(loadConfig({ SUBSCRIPTION_MAX_EVENT_BYTES: '4096' }).subscriptions.maxEventBytes).toBe(4096);
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
});
