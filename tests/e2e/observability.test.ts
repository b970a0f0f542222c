import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MONETIZATION_TOPIC } from '../../kernel/contracts/monetization-events';
import { graphql } from '../support/graphql';
import { HOSTILE } from '../support/hostile-operations';
import { PurchaseOffer } from '../support/offer-operations';
import { insertOffer } from '../support/offers';
import { startOtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { startEmbeddedSupergraph, waitUntilReady } from '../support/process';
import { startStack, type TestStack } from '../support/stack';
import { eventually } from '../support/timing';
import { TEST_JWT_SECRET, TEST_SUBGRAPH_SECRET, tokenFor } from '../support/tokens';

// Starting the whole supergraph as a process takes seconds alone, minutes on a shared machine.
jest.setTimeout(300_000);

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

type Started = Awaited<ReturnType<typeof startEmbeddedSupergraph>>;

/** Parses a Prometheus text scrape into `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

/** The sum of every series of `name` whose labels include all of `labels`. */
function total(values: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [series, value] of values) {
    if (series !== name && !series.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([key, wanted]) => series.includes(`${key}="${wanted}"`))) sum += value;
  }
  return sum;
}

/**
 * The supergraph as `npm start` runs it, on the real PostgreSQL, Redis and Kafka, exporting its
 * traces over OTLP to a stand-in collector and serving its metrics on a port of their own.
 */
describe('observability of a running supergraph', () => {
  let stack: TestStack;
  let one: Started;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let metricsUrl: string;

  /** `null`: no Authorization header at all. */
  const scrape = async (token: string | null = METRICS_TOKEN) =>
    fetch(metricsUrl, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const scrapeSamples = async () => samples(await (await scrape()).text());

  beforeAll(async () => {
    // Resets the test database to the fixture; its own subgraphs and relay stay off.
    stack = await startStack({ subgraphs: [], gateway: false });
    receiver = await startOtlpReceiver();
    one = await startEmbeddedSupergraph({
      DATABASE_URL: process.env.DATABASE_URL!,
      REDIS_URL: process.env.REDIS_URL!,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      SUBGRAPH_SECRET: TEST_SUBGRAPH_SECRET,
      OUTBOX_POLL_MS: '50',
      RATE_LIMIT_PURCHASES_PER_MINUTE: '100000',
      METRICS_TOKEN,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SERVICE_NAME: 'supergraph-under-test',
    });
    metricsUrl = `http://127.0.0.1:${one.ports[5]}/metrics`;
    await waitUntilReady(one, 240_000);
  });
  afterAll(async () => {
    if (one && one.exitCode() === undefined) {
      one.child.kill('SIGTERM');
      await one.waitForExit(30_000).catch(() => one.child.kill('SIGKILL'));
    }
    await receiver?.close();
    await stack?.close();
  });

  describe('traces', () => {
    let spans: ReceivedSpan[];
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');

    beforeAll(async () => {
      const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', inventoryTotal: 5, priceCents: 0, currency: 'EUR' });
      const response = await graphql(one.gatewayUrl, PurchaseOffer, {
        variables: { offerId: offer.id, quantity: 1 },
        token: await tokenFor('u-traced-buyer'),
        headers: { traceparent: `00-${traceId}-${clientSpanId}-01` },
      });
      expect(response.errors).toBeUndefined();
      spans = await eventually<ReceivedSpan[] | undefined>(() => {
        const ofTrace = receiver.spans.filter((span) => span.traceId === traceId);
        return ofTrace.some((span) => span.kind === CONSUMER && span.attributes['messaging.consumer.group.name'] === 'analytics-monetization')
          ? ofTrace
          : undefined;
      }, 60_000, 'the analytics consumer span of the purchase') as ReceivedSpan[];
    });

    it('continues the client traceparent through the gateway: its request span is the client span\'s child', () => {
      const gatewayRequest = spans.find((span) => span.kind === SERVER && span.attributes['service.role'] === 'gateway');
      expect(gatewayRequest).toMatchObject({ parentSpanId: clientSpanId, service: 'supergraph-under-test' });
      const names = spans.map((span) => span.name);
      expect(names).toEqual(expect.arrayContaining(['gateway.request', 'gateway.plan', 'gateway.fetch']));
    });

    it('has the offers subgraph\'s request span under the gateway\'s fetch (traceparent sent by our fetcher)', () => {
      const fetches = new Set(spans.filter((span) => span.name === 'gateway.fetch').map((span) => span.spanId));
      const offers = spans.find((span) => span.kind === SERVER && span.attributes['graphql.subgraph'] === 'offers');
      expect(offers).toBeDefined();
      expect(fetches.has(offers!.parentSpanId!)).toBe(true);
    });

    it('has PostgreSQL statements of the purchase in the same trace, under the offers subgraph', () => {
      const offers = spans.find((span) => span.kind === SERVER && span.attributes['graphql.subgraph'] === 'offers')!;
      const sql = spans.filter((span) => span.scope.includes('instrumentation-pg') && span.name.startsWith('pg.query'));
      expect(sql.length).toBeGreaterThan(0);
      const byId = new Map(spans.map((span) => [span.spanId, span]));
      const underOffers = (span: ReceivedSpan): boolean => {
        for (let at = span.parentSpanId ? byId.get(span.parentSpanId) : undefined; at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined) {
          if (at.spanId === offers.spanId) return true;
        }
        return false;
      };
      expect(sql.some(underOffers)).toBe(true);
    });

    it('links the outbox publish to Kafka and the analytics ingestion to the purchase: one trace id, consumer under producer', () => {
      const publish = spans.find((span) => span.kind === PRODUCER && span.name === `${MONETIZATION_TOPIC} publish`);
      expect(publish).toBeDefined();
      const consume = spans.find((span) => span.kind === CONSUMER && span.attributes['messaging.consumer.group.name'] === 'analytics-monetization');
      expect(consume).toMatchObject({ parentSpanId: publish!.spanId, traceId });
      // The ingestion's own SQL continues the trace.
      expect(spans.some((span) => span.parentSpanId === consume!.spanId || span.name.startsWith('pg.'))).toBe(true);
    });
  });

  describe('metrics', () => {
    it('refuses a scrape without the bearer token, or with a wrong one', async () => {
      expect((await scrape(null)).status).toBe(401);
      expect((await scrape('wrong-token-0123456789abcdef')).status).toBe(401);
      expect((await scrape()).status).toBe(200);
    });

    it('is not served under /graphql or anywhere on the gateway\'s port', async () => {
      for (const url of [one.gatewayUrl.replace('/graphql', '/metrics'), `${one.gatewayUrl}/metrics`]) {
        const response = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
        expect(response.status).not.toBe(200);
        expect(await response.text()).not.toContain('gateway_operations_total');
      }
    });

    it('moves the operation counters and latency histograms of a request through the gateway, labelled by its trusted name', async () => {
      const before = await scrapeSamples();
      const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', inventoryTotal: 5, priceCents: 0, currency: 'EUR' });
      const response = await graphql(one.gatewayUrl, PurchaseOffer, { variables: { offerId: offer.id, quantity: 1 }, token: await tokenFor('u-metered-buyer') });
      expect(response.errors).toBeUndefined();
      const after = await scrapeSamples();
      const moved = (name: string, labels: Record<string, string>) => total(after, name, labels) - total(before, name, labels);
      expect(moved('gateway_operations_total', { operation: 'PurchaseOffer', type: 'mutation', outcome: 'ok' })).toBe(1);
      expect(moved('gateway_operation_duration_seconds_count', { operation: 'PurchaseOffer', type: 'mutation' })).toBe(1);
      expect(moved('gateway_subgraph_fetches_total', { subgraph: 'offers', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
      expect(moved('gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'offers' })).toBeGreaterThanOrEqual(1);
      expect(moved('subgraph_operations_total', { subgraph: 'offers', operation: 'PurchaseOffer', type: 'mutation', outcome: 'ok' })).toBe(1);
      expect(total(after, 'gateway_query_plan_cache_total', { result: 'hit' })).toBeGreaterThanOrEqual(1);
      expect(total(after, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    });

    it('labels an unknown operation name "other" and an error by its code, never the text', async () => {
      const before = await scrapeSamples();
      const response = await graphql(one.gatewayUrl, 'query MadeUpName123 { myPurchases(limit: 1) { id } }', {});
      expect(response.errors?.[0]?.extensions?.code).toBeDefined();
      const after = await scrapeSamples();
      expect(total(after, 'gateway_operations_total', { operation: 'other', type: 'query' }) - total(before, 'gateway_operations_total', { operation: 'other', type: 'query' })).toBe(1);
      expect([...after.keys()].some((series) => series.includes('MadeUpName123'))).toBe(false);
    });

    it('counts a refusal by the depth limit under limit="depth"', async () => {
      const before = await scrapeSamples();
      const deep = HOSTILE.find(([, kind]) => kind === 'depth')![2];
      await graphql(one.gatewayUrl, deep, { token: await tokenFor('u-deep') });
      const after = await scrapeSamples();
      expect(total(after, 'gateway_refused_operations_total', { limit: 'depth' }) - total(before, 'gateway_refused_operations_total', { limit: 'depth' })).toBe(1);
    });

    it('serves every metric the Grafana dashboard queries', async () => {
      const text = await (await scrape()).text();
      const declared = new Set([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name, type]) =>
        type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
      ));
      const dashboard = readFileSync(path.resolve(__dirname, '../../deploy/observability/grafana/dashboards/supergraph.json'), 'utf8');
      const expressions = [...dashboard.matchAll(/"expr":\s*"((?:[^"\\]|\\.)*)"/g)].map(([, expr]) => JSON.parse(`"${expr}"`) as string);
      expect(expressions.length).toBeGreaterThan(10);
      const queried = new Set(expressions.flatMap((expr) => [...expr.matchAll(/\b([a-z_][a-z0-9_]*)\s*(?=\{|\[|\)|$)/g)].map(([, name]) => name)));
      const promqlWords = new Set(['sum', 'rate', 'increase', 'by', 'max', 'min', 'avg', 'histogram_quantile', 'le', 'irate', 'count', 'topk', 'clamp_min', 'without', 'or', 'on']);
      const metricNames = [...queried].filter((name) => !promqlWords.has(name) && /_/.test(name));
      expect(metricNames.length).toBeGreaterThan(10);
      expect(metricNames.filter((name) => !declared.has(name))).toEqual([]);
    });
  });
});
