import { z } from 'zod';

/** Thrown when the environment cannot produce a valid configuration; its message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.string().url().optional())
  .optional();
const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : value === 'true' || value === '1'));

const DEV_JWT_SECRET = 'embedded-dev-jwt-secret-not-for-production';
const DEV_SUBGRAPH_SECRET = 'embedded-dev-subgraph-secret-not-for-production';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  GATEWAY_PORT: port(4000),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
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
  DATABASE_URL: optionalUrl.refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
    message: 'must be a postgres:// URL',
  }),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: optionalUrl.refine((value) => value === undefined || /^rediss?:\/\//.test(value), {
    message: 'must be a redis:// or rediss:// URL',
  }),
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
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  RATE_LIMIT_PURCHASES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  RATE_LIMIT_JOINS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  RATE_LIMIT_TRACKING_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
  TRUSTED_DOCUMENTS: z.enum(['off', 'log', 'enforce']).default('off'),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  WAITLIST_OFFER_TTL_MINUTES: z.coerce.number().positive().max(10_080).default(30),
  WAITLIST_OFFER_SECRET: optionalString,
  WAITLIST_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(15_000),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_HOST: optionalString,
  STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
  ADS_CAP_TIMEOUT_MS: z.coerce.number().int().min(10).max(5000).default(150),
  ADS_CAP_COOLDOWN_MS: z.coerce.number().int().min(50).max(600_000).default(10_000),
  ADS_DEGRADED_WARN_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  SUBSCRIPTION_WINDOW_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  WS_REQUIRE_AUTH: flag(false),
  WS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  WS_KEEPALIVE_MS: z.coerce.number().int().min(0).max(300_000).default(12_000),
  WS_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(64 * 1024),
  WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(10_000).default(100),
  WS_MAX_SOCKETS_PER_CALLER: z.coerce.number().int().min(1).max(100_000).default(20),
  WS_MAX_SUBSCRIPTIONS_PER_CALLER: z.coerce.number().int().min(1).max(1_000_000).default(200),
  WS_MAX_SOCKETS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(10_000_000).default(50_000),
  TRUSTED_PROXY_HEADER: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^([a-z0-9-]+)?$/, 'must be an HTTP header name such as x-forwarded-for')
    .optional()
    .transform((value) => (value ? value : undefined)),
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(31 * 86_400).default(86_400),
  RATE_LIMIT_EXPORTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  OFFER_MAX_RESERVED_UNITS_PER_USER: z.coerce.number().int().min(1).max(20).default(20),
  ADS_ANONYMOUS_IMPRESSION_WINDOW_MS: z.coerce.number().int().min(0).max(86_400_000).default(3_600_000),
  SUBSCRIPTION_MAX_EVENT_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  OPERATION_MAX_DEPTH: z.coerce.number().int().min(1).max(1000).default(12),
  OPERATION_MAX_ALIASES: z.coerce.number().int().min(0).max(10_000).default(15),
  OPERATION_MAX_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(3000),
  OPERATION_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(10_000).default(25),
  OPERATION_MAX_COST: z.coerce.number().int().min(1).max(1_000_000_000).default(10_000),
  OPERATION_DEFAULT_LIST_SIZE: z.coerce.number().int().min(1).max(100_000).default(10),
  STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  STRIPE_MAX_NETWORK_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  OFFER_RESERVATION_TTL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  OFFER_RESERVATION_SWEEP_MS: z.coerce.number().int().min(50).max(86_400_000).default(5 * 60_000),
  OFFER_EXPIRY_SWEEP_MS: z.coerce.number().int().min(50).max(86_400_000).default(30 * 60_000),
  REPORT_SCHEDULE_TICK_MS: z.coerce.number().int().min(50).max(3_600_000).default(60_000),
  METRICS_ENABLED: flag(true),
  METRICS_HOST: z.string().default('0.0.0.0'),
  METRICS_PORT: port(9464),
  METRICS_TOKEN: optionalString.refine((value) => value === undefined || value.length >= 16, {
    message: 'must be at least 16 characters',
  }),
});

export type Mode = 'embedded' | 'services';

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
  };
  subgraphs: {
    host: string;
    ports: Record<SubgraphName, number>;
    urls: Record<SubgraphName, string>;
  };
  database: { url?: string; poolMax: number; runMigrations: boolean };
  redis: { url?: string };
  /** `groupPrefix` is put before every consumer group id, so separate deployments sharing a cluster do not split each other's messages. */
  kafka: { brokers?: string[]; clientId: string; groupPrefix: string };
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
   * Waitlist offers: how long an offer stays open, the secret that signs offer tokens (when unset the
   * waitlist derives one from SUBGRAPH_SECRET under its own label), and how often expired offers are swept.
   */
  waitlist: { offerTtlMinutes: number; offerSecret?: string; sweepIntervalMs: number };
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
  stripe: {
    secretKey?: string;
    webhookSecret?: string;
    host?: string;
    port?: number;
    protocol?: 'http' | 'https';
    /** Per-request timeout of the Stripe client. */
    timeoutMs: number;
    /** Retries of the Stripe client on network errors and 5xx (safe: every request carries an idempotency key). */
    maxNetworkRetries: number;
  };
  offers: {
    /** How long a purchase holds its units while the buyer pays. */
    reservationTtlMinutes: number;
    /** How often stale reservations are released (and stalled fulfillments resumed). */
    reservationSweepMs: number;
    /** How often offers past their end are deactivated. */
    expirySweepMs: number;
    /** Units one user may hold in open (RESERVED) purchases of one offer. */
    maxReservedUnitsPerUser: number;
  };
  /**
   * Ad frequency caps: how long one Redis check may take before serving fails closed, how long the
   * circuit stays open before Redis is tried again, and how often the degraded warning is logged.
   */
  ads: {
    capTimeoutMs: number;
    capCooldownMs: number;
    degradedWarnEveryMs: number;
    /** An anonymous viewer's impressions of one ad count once per this window (0: every one counts). */
    anonymousImpressionWindowMs: number;
  };
  /** Scheduled reports: how often due schedules are looked for (a report goes out at most this late). */
  reports: { scheduleTickMs: number };
  /**
   * Prometheus metrics: served by each process on `GET /metrics` of its own port (never the
   * /graphql port); with `token` set a scrape must send it as a bearer token.
   */
  metrics: { enabled: boolean; host: string; port: number; token?: string };
}

export const SUBGRAPH_NAMES = ['offers', 'ads', 'waitlist', 'analytics'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/**
 * Reads and validates the configuration once. A bad value throws a {@link ConfigError}
 * whose message names the variable and says what is allowed.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const sentences = parsed.error.issues.map((issue) => {
      const variable = issue.path.join('.');
      return `Environment variable ${variable} is invalid (got ${JSON.stringify(env[variable] ?? null)}): ${issue.message}.`;
    });
    throw new ConfigError(sentences.join(' '));
  }
  const e = parsed.data;
  const mode: Mode = e.DATABASE_URL || e.REDIS_URL || e.KAFKA_BROKERS ? 'services' : 'embedded';
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
  if (e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET) {
    throw new ConfigError('Environment variable STRIPE_WEBHOOK_SECRET must be set when STRIPE_SECRET_KEY is set.');
  }
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
    redis: { url: e.REDIS_URL },
    kafka: {
      brokers: e.KAFKA_BROKERS?.split(',').map((broker) => broker.trim()),
      clientId: e.KAFKA_CLIENT_ID,
      groupPrefix: e.KAFKA_GROUP_PREFIX,
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
    waitlist: {
      offerTtlMinutes: e.WAITLIST_OFFER_TTL_MINUTES,
      offerSecret: e.WAITLIST_OFFER_SECRET,
      sweepIntervalMs: e.WAITLIST_SWEEP_INTERVAL_MS,
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
    stripe: {
      secretKey: e.STRIPE_SECRET_KEY,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET,
      host: e.STRIPE_API_HOST,
      port: e.STRIPE_API_PORT,
      protocol: e.STRIPE_API_PROTOCOL,
      timeoutMs: e.STRIPE_TIMEOUT_MS,
      maxNetworkRetries: e.STRIPE_MAX_NETWORK_RETRIES,
    },
    offers: {
      reservationTtlMinutes: e.OFFER_RESERVATION_TTL_MINUTES,
      reservationSweepMs: e.OFFER_RESERVATION_SWEEP_MS,
      expirySweepMs: e.OFFER_EXPIRY_SWEEP_MS,
      maxReservedUnitsPerUser: e.OFFER_MAX_RESERVED_UNITS_PER_USER,
    },
    ads: {
      capTimeoutMs: e.ADS_CAP_TIMEOUT_MS,
      capCooldownMs: e.ADS_CAP_COOLDOWN_MS,
      degradedWarnEveryMs: e.ADS_DEGRADED_WARN_MS,
      anonymousImpressionWindowMs: e.ADS_ANONYMOUS_IMPRESSION_WINDOW_MS,
    },
    reports: { scheduleTickMs: e.REPORT_SCHEDULE_TICK_MS },
    metrics: { enabled: e.METRICS_ENABLED, host: e.METRICS_HOST, port: e.METRICS_PORT, token: e.METRICS_TOKEN },
  };
}
