import { z } from 'zod';
import { configValues, type ConfigSection } from './config-section';

export { defineConfigSection, configValues, type ConfigSection } from './config-section';

/** Thrown when the environment cannot produce a valid configuration; its message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const { port, integer, optionalUrl, optionalString, flag } = configValues;

const DEV_JWT_SECRET = 'embedded-dev-jwt-secret-not-for-production';
const DEV_SUBGRAPH_SECRET = 'embedded-dev-subgraph-secret-not-for-production';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  GATEWAY_PORT: port(4000),
  SUBGRAPH_TIMEOUT_MS: integer(100, 600_000, 30_000),
  SUBGRAPH_HOST: z.string().default('127.0.0.1'),
  OFFERS_PORT: port(4001),
  ADS_PORT: port(4002),
  WAITLIST_PORT: port(4003),
  ANALYTICS_PORT: port(4004),
  OFFERS_URL: optionalUrl,
  ADS_URL: optionalUrl,
  WAITLIST_URL: optionalUrl,
  ANALYTICS_URL: optionalUrl,
  SUPERGRAPH_FILE: optionalString,
  DASHBOARD_DIR: z.string().min(1).default('web/dist'),
  DATABASE_URL: optionalUrl.refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
    message: 'must be a postgres:// URL',
  }),
  DATABASE_POOL_MAX: integer(1, 200, 10),
  REDIS_URL: optionalString.refine((value) => value === undefined || isRedisUrl(value), {
    message: 'must be a redis:// or rediss:// URL, or redis+cluster://host:port,host:port (rediss+cluster:// for TLS)',
  }),
  REDIS_CLUSTER_NODES: optionalString.refine((value) => value === undefined || parseHostPorts(value) !== undefined, {
    message: 'must be a comma-separated list of host:port (the seed nodes of a Redis Cluster)',
  }),
  KAFKA_TOPIC_PARTITIONS: integer(1, 1000, 6),
  KAFKA_BROKERS: optionalString.refine(
    (value) => value === undefined || value.split(',').every((broker) => /^[^\s:,]+:\d{1,5}$/.test(broker.trim())),
    { message: 'must be a comma-separated list of host:port' },
  ),
  KAFKA_CLIENT_ID: z.string().default('monetization-supergraph'),
  KAFKA_GROUP_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/).default(''),
  RUN_MIGRATIONS: flag(true),
  SEED_FILE: optionalString,
  AUTH_JWT_SECRET: optionalString,
  AUTH_JWKS_URL: optionalUrl,
  SUBGRAPH_SECRET: optionalString,
  SHUTDOWN_DRAIN_MS: integer(0, 60_000, 1000),
  RATE_LIMIT_PURCHASES_PER_MINUTE: integer(1, 100_000, 30),
  RATE_LIMIT_JOINS_PER_MINUTE: integer(1, 100_000, 20),
  RATE_LIMIT_TRACKING_PER_MINUTE: integer(1, 100_000, 600),
  TRUSTED_DOCUMENTS: z.enum(['off', 'log', 'enforce']).default('off'),
  OUTBOX_POLL_MS: integer(10, 60_000, 500),
  SUBSCRIPTION_WINDOW_MS: integer(0, 60_000, 1000),
  WS_REQUIRE_AUTH: flag(false),
  WS_CONNECTION_INIT_TIMEOUT_MS: integer(100, 60_000, 3000),
  WS_KEEPALIVE_MS: integer(0, 300_000, 12_000),
  WS_MAX_PAYLOAD_BYTES: integer(1024, 16 * 1024 * 1024, 64 * 1024),
  WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: integer(1, 10_000, 100),
  WS_MAX_SOCKETS_PER_CALLER: integer(1, 100_000, 20),
  WS_MAX_SUBSCRIPTIONS_PER_CALLER: integer(1, 1_000_000, 200),
  WS_MAX_SOCKETS: integer(1, 1_000_000, 10_000),
  WS_MAX_SUBSCRIPTIONS: integer(1, 10_000_000, 50_000),
  TRUSTED_PROXY_HEADER: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^([a-z0-9-]+)?$/, 'must be an HTTP header name such as x-forwarded-for')
    .optional()
    .transform((value) => (value ? value : undefined)),
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: integer(60, 31 * 86_400, 86_400),
  RATE_LIMIT_EXPORTS_PER_MINUTE: integer(1, 100_000, 10),
  SUBSCRIPTION_MAX_EVENT_BYTES: integer(1024, 64 * 1024 * 1024, 1024 * 1024),
  OPERATION_MAX_DEPTH: integer(1, 1000, 12),
  OPERATION_MAX_ALIASES: integer(0, 10_000, 15),
  OPERATION_MAX_TOKENS: integer(100, 1_000_000, 3000),
  OPERATION_MAX_DIRECTIVES: integer(0, 10_000, 25),
  OPERATION_MAX_COST: integer(1, 1_000_000_000, 10_000),
  OPERATION_DEFAULT_LIST_SIZE: integer(1, 100_000, 10),
  // Apollo's own variable, read by @apollo/gateway; here it defaults to true (see gateway.apolloTelemetry).
  APOLLO_TELEMETRY_DISABLED: flag(true),
  METRICS_ENABLED: flag(true),
  METRICS_HOST: z.string().default('0.0.0.0'),
  METRICS_PORT: port(9464),
  METRICS_TOKEN: optionalString.refine((value) => value === undefined || value.length >= 16, {
    message: 'must be at least 16 characters',
  }),
});

export type Mode = 'embedded' | 'services';

export interface HostPort {
  host: string;
  port: number;
}

/** A Redis Cluster: its seed nodes (the client discovers the rest) and how to reach them. */
export interface RedisClusterConfig {
  nodes: HostPort[];
  username?: string;
  password?: string;
  tls: boolean;
}

const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#@]+)\/?$/;

/** `host:port,host:port`, or undefined when any part is not one. */
function parseHostPorts(list: string): HostPort[] | undefined {
  const nodes = list.split(',').map((part) => /^([^\s:,]+):(\d{1,5})$/.exec(part.trim()));
  if (nodes.length === 0 || nodes.some((match) => !match || Number(match[2]) > 65535)) return undefined;
  return nodes.map((match) => ({ host: match![1], port: Number(match![2]) }));
}

/** `redis+cluster://[user:password@]host:port,host:port` (`rediss+cluster://` for TLS) as its parts. */
function parseClusterUrl(url: string): RedisClusterConfig | undefined {
  const match = CLUSTER_URL.exec(url);
  const nodes = match && parseHostPorts(match[3]);
  if (!match || !nodes) return undefined;
  const [user, password] = match[2] === undefined ? [] : match[2].split(/:(.*)/s, 2).map(decodeURIComponent);
  return { nodes, username: user || undefined, password: password || undefined, tls: match[1] === 'rediss' };
}

function isRedisUrl(value: string): boolean {
  if (/^rediss?\+cluster:/.test(value)) return parseClusterUrl(value) !== undefined;
  return /^rediss?:\/\//.test(value) && z.string().url().safeParse(value).success;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: string;
  /** `embedded` when none of DATABASE_URL, REDIS_URL, KAFKA_BROKERS is set. */
  mode: Mode;
  gateway: {
    host: string;
    port: number;
    supergraphFile?: string;
    /** `enforce` accepts only the operations compiled into gateway/generated/trusted-documents.json. */
    trustedDocuments: 'off' | 'log' | 'enforce';
    /** On shutdown, how long the gateway keeps serving (and reporting not ready) before it closes. */
    shutdownDrainMs: number;
    /** How long one subgraph fetch may take, answer included, before it fails as SERVICE_DEGRADED. */
    subgraphTimeoutMs: number;
    /** Bounds on what one operation may ask for, over HTTP and graphql-ws alike. */
    limits: {
      maxDepth: number;
      maxAliases: number;
      maxTokens: number;
      maxDirectives: number;
      /** Largest cost (IBM/Apollo demand-control model, see gateway/operation-cost.ts). */
      maxCost: number;
      /** Items a list is assumed to hold when neither a size argument nor `@listSize` says. */
      defaultListSize: number;
    };
    /** The built organizer dashboard (`npm run web:build`), served at `/`. */
    dashboardDir: string;
    /**
     * The development sign-in (`/dev/sign-in`: demo users and tokens for them): never in production,
     * and not when tokens are verified through JWKS, since the gateway could not sign them.
     */
    devSignIn: boolean;
    /**
     * Whether @apollo/gateway may report this host (OS, CPU count and speed, memory, uptime) to
     * Apollo's servers, hourly and on shutdown, as it does unless told not to. Off unless
     * APOLLO_TELEMETRY_DISABLED=false: nothing leaves the platform that its operators did not ask for.
     */
    apolloTelemetry: boolean;
  };
  subgraphs: {
    host: string;
    ports: Record<SubgraphName, number>;
    urls: Record<SubgraphName, string>;
  };
  database: { url?: string; poolMax: number; runMigrations: boolean };
  /** One node (`url`) or a cluster (`cluster`, from REDIS_CLUSTER_NODES or a redis+cluster:// URL); neither: the in-process stand-in. */
  redis: { url?: string; cluster?: RedisClusterConfig };
  /**
   * `groupPrefix` is put before every consumer group id, so separate deployments sharing a cluster do
   * not split each other's messages; `topicPartitions` is the partition count of topics this process creates.
   */
  kafka: { brokers?: string[]; clientId: string; groupPrefix: string; topicPartitions: number };
  seedFile?: string;
  auth: {
    jwtSecret: string;
    jwksUrl?: string;
    subgraphSecret: string;
    /** AUTH_JWT_SECRET is unset, so tokens are signed with the public development secret. */
    developmentSecret: boolean;
    /** True when SUBGRAPH_SECRET is unset and the public development secret signs identities. */
    subgraphSecretIsDevelopment: boolean;
    /** Longest lifetime (`exp` minus `iat`, or `exp` minus now) a caller's token may have. */
    maxTokenLifetimeSeconds: number;
  };
  /**
   * Where the gateway reads a caller's address (anonymous budgets and socket caps are per address):
   * the last entry of this header, set by a proxy in front of it; unset, the socket's peer address.
   */
  trustedProxyHeader?: string;
  outbox: { pollMs: number };
  /** Per-user budgets of the mutations that cost money or write (purchase, join a waitlist, ad tracking). */
  rateLimits: Record<'purchase' | 'join' | 'track' | 'export', { limit: number; windowMs: number }>;
  /**
   * Live subscriptions: `windowMs` is the coalescing window of waitlist and inventory updates; the
   * rest bounds the gateway's graphql-ws connections.
   */
  subscriptions: {
    windowMs: number;
    /** Refuse connections without a token (by default a missing token is an anonymous caller). */
    requireAuth: boolean;
    connectionInitTimeoutMs: number;
    keepAliveMs: number;
    maxPayloadBytes: number;
    maxPerConnection: number;
    /** Sockets and subscriptions one caller (a user, or an anonymous address) may hold at once. */
    maxSocketsPerCaller: number;
    maxSubscriptionsPerCaller: number;
    /** Sockets and subscriptions the gateway holds at once, for everyone together. */
    maxSockets: number;
    maxSubscriptions: number;
    /** Largest message one subscription event may produce; a larger result is replaced by an error. */
    maxEventBytes: number;
  };
  /**
   * Prometheus metrics: served by each process on `GET /metrics` of its own port (never the
   * /graphql port); with `token` set a scrape must send it as a bearer token.
   */
  metrics: { enabled: boolean; host: string; port: number; token?: string };
  /** The subgraphs' own settings by section name; read one with its section's `of(config)`. */
  sections: Readonly<Record<string, unknown>>;
}

export const SUBGRAPH_NAMES = ['offers', 'ads', 'waitlist', 'analytics'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/**
 * Reads and validates the configuration once: the kernel's variables and those of every section
 * handed in (each subgraph's, see `subgraphs/config-sections.ts`). A bad value throws a
 * {@link ConfigError} whose message names the variable and says what is allowed; every bad
 * variable is named, whichever section reads it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, sectionsToRead: readonly ConfigSection<unknown>[] = []): Config {
  checkSectionsApart(sectionsToRead);
  const parsed = EnvSchema.safeParse(env);
  const parsedSections = sectionsToRead.map((section) => ({ section, result: section.variables.safeParse(env) }));
  const issues = [parsed, ...parsedSections.map(({ result }) => result)].flatMap((result) => (result.success ? [] : result.error.issues));
  if (!parsed.success || issues.length > 0) {
    const sentences = issues.map((issue) => {
      const variable = issue.path.join('.');
      return `Environment variable ${variable} is invalid (got ${JSON.stringify(env[variable] ?? null)}): ${issue.message}.`;
    });
    throw new ConfigError(sentences.join(' '));
  }
  const e = parsed.data;
  if (e.REDIS_URL && e.REDIS_CLUSTER_NODES) {
    throw new ConfigError(
      'Environment variables REDIS_URL and REDIS_CLUSTER_NODES are both set: set one (a cluster with credentials or TLS is REDIS_URL=redis+cluster://user:password@host:port,…).',
    );
  }
  const redisCluster = e.REDIS_CLUSTER_NODES
    ? { nodes: parseHostPorts(e.REDIS_CLUSTER_NODES)!, tls: false }
    : e.REDIS_URL
      ? parseClusterUrl(e.REDIS_URL)
      : undefined;
  const mode: Mode = e.DATABASE_URL || e.REDIS_URL || e.REDIS_CLUSTER_NODES || e.KAFKA_BROKERS ? 'services' : 'embedded';
  if (e.NODE_ENV === 'production') {
    for (const name of ['AUTH_JWT_SECRET', 'SUBGRAPH_SECRET'] as const) {
      if (!e[name] || e[name]!.length < 32) {
        throw new ConfigError(`Environment variable ${name} must be set to at least 32 characters in production.`);
      }
      if (/change.?me|example|not.for.production/i.test(e[name]!)) {
        throw new ConfigError(`Environment variable ${name} holds a placeholder; set a random secret in production.`);
      }
    }
  }
  const sections: Record<string, unknown> = {};
  for (const { section, result } of parsedSections) if (result.success) sections[section.name] = section.read(result.data);
  const ports: Record<SubgraphName, number> = {
    offers: e.OFFERS_PORT,
    ads: e.ADS_PORT,
    waitlist: e.WAITLIST_PORT,
    analytics: e.ANALYTICS_PORT,
  };
  const defaultUrl = (name: SubgraphName) => `http://127.0.0.1:${ports[name]}/graphql`;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    mode,
    gateway: {
      host: e.GATEWAY_HOST,
      port: e.GATEWAY_PORT,
      supergraphFile: e.SUPERGRAPH_FILE,
      trustedDocuments: e.TRUSTED_DOCUMENTS,
      shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
      subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
      limits: {
        maxDepth: e.OPERATION_MAX_DEPTH,
        maxAliases: e.OPERATION_MAX_ALIASES,
        maxTokens: e.OPERATION_MAX_TOKENS,
        maxDirectives: e.OPERATION_MAX_DIRECTIVES,
        maxCost: e.OPERATION_MAX_COST,
        defaultListSize: e.OPERATION_DEFAULT_LIST_SIZE,
      },
      dashboardDir: e.DASHBOARD_DIR,
      devSignIn: e.NODE_ENV !== 'production' && !e.AUTH_JWKS_URL,
      apolloTelemetry: !e.APOLLO_TELEMETRY_DISABLED,
    },
    subgraphs: {
      host: e.SUBGRAPH_HOST,
      ports,
      urls: {
        offers: e.OFFERS_URL ?? defaultUrl('offers'),
        ads: e.ADS_URL ?? defaultUrl('ads'),
        waitlist: e.WAITLIST_URL ?? defaultUrl('waitlist'),
        analytics: e.ANALYTICS_URL ?? defaultUrl('analytics'),
      },
    },
    database: { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX, runMigrations: e.RUN_MIGRATIONS },
    redis: redisCluster ? { cluster: redisCluster } : { url: e.REDIS_URL },
    kafka: {
      brokers: e.KAFKA_BROKERS?.split(',').map((broker) => broker.trim()),
      clientId: e.KAFKA_CLIENT_ID,
      groupPrefix: e.KAFKA_GROUP_PREFIX,
      topicPartitions: e.KAFKA_TOPIC_PARTITIONS,
    },
    seedFile: e.SEED_FILE,
    auth: {
      jwtSecret: e.AUTH_JWT_SECRET ?? DEV_JWT_SECRET,
      jwksUrl: e.AUTH_JWKS_URL,
      subgraphSecret: e.SUBGRAPH_SECRET ?? DEV_SUBGRAPH_SECRET,
      subgraphSecretIsDevelopment: !e.SUBGRAPH_SECRET,
      maxTokenLifetimeSeconds: e.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
      developmentSecret: !e.AUTH_JWT_SECRET && !e.AUTH_JWKS_URL,
    },
    trustedProxyHeader: e.TRUSTED_PROXY_HEADER,
    outbox: { pollMs: e.OUTBOX_POLL_MS },
    rateLimits: {
      purchase: { limit: e.RATE_LIMIT_PURCHASES_PER_MINUTE, windowMs: 60_000 },
      join: { limit: e.RATE_LIMIT_JOINS_PER_MINUTE, windowMs: 60_000 },
      track: { limit: e.RATE_LIMIT_TRACKING_PER_MINUTE, windowMs: 60_000 },
      export: { limit: e.RATE_LIMIT_EXPORTS_PER_MINUTE, windowMs: 60_000 },
    },
    subscriptions: {
      windowMs: e.SUBSCRIPTION_WINDOW_MS,
      requireAuth: e.WS_REQUIRE_AUTH,
      connectionInitTimeoutMs: e.WS_CONNECTION_INIT_TIMEOUT_MS,
      keepAliveMs: e.WS_KEEPALIVE_MS,
      maxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
      maxPerConnection: e.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxSocketsPerCaller: e.WS_MAX_SOCKETS_PER_CALLER,
      maxSubscriptionsPerCaller: e.WS_MAX_SUBSCRIPTIONS_PER_CALLER,
      maxSockets: e.WS_MAX_SOCKETS,
      maxSubscriptions: e.WS_MAX_SUBSCRIPTIONS,
      maxEventBytes: e.SUBSCRIPTION_MAX_EVENT_BYTES,
    },
    metrics: { enabled: e.METRICS_ENABLED, host: e.METRICS_HOST, port: e.METRICS_PORT, token: e.METRICS_TOKEN },
    sections,
  };
}

/** Two sections may not share a name, nor read a variable the kernel or another section reads. */
function checkSectionsApart(sections: readonly ConfigSection<unknown>[]): void {
  const owners = new Map<string, string>(Object.keys(EnvSchema.shape).map((variable) => [variable, 'the kernel']));
  const names = new Set<string>();
  for (const section of sections) {
    if (names.has(section.name)) throw new Error(`Two config sections are named "${section.name}".`);
    names.add(section.name);
    for (const variable of Object.keys(section.variables.shape)) {
      const owner = owners.get(variable);
      if (owner) throw new Error(`Environment variable ${variable} is read by both ${owner} and the "${section.name}" config section.`);
      owners.set(variable, `the "${section.name}" config section`);
    }
  }
}
