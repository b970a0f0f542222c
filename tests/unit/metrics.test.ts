import { createLogger } from '../../kernel/logger';
import { clientOperationName, errorCodeLabel, operationLabel, operationTypeLabel } from '../../kernel/observability/labels';
import { knownOperationNames } from '../../kernel/observability/known-operations';
import { counter, metricsRegistry, sampledGauge } from '../../kernel/observability/metrics';
import { startMetricsServer } from '../../kernel/observability/metrics-server';

describe('metric labels stay within fixed sets', () => {
  const known = new Set(['PurchaseOffer']);

  it('keeps a trusted operation name, and maps made-up names to "other" and no name to "anonymous"', () => {
    expect(operationLabel('PurchaseOffer', known)).toBe('PurchaseOffer');
    expect(operationLabel('user-42-purchase', known)).toBe('other');
    expect(operationLabel(undefined, known)).toBe('anonymous');
    expect(operationLabel('', known)).toBe('anonymous');
  });

  it('reads the client operation out of the name the gateway gives a subgraph fetch', () => {
    expect(clientOperationName('PurchaseOffer__offers__0')).toBe('PurchaseOffer');
    expect(clientOperationName('EventMonetization__ads__12')).toBe('EventMonetization');
    expect(clientOperationName('PurchaseOffer')).toBe('PurchaseOffer');
  });

  it('labels known error codes as they are and anything else OTHER', () => {
    expect(errorCodeLabel('RATE_LIMITED')).toBe('RATE_LIMITED');
    expect(errorCodeLabel('Something about offer 1234')).toBe('OTHER');
    expect(errorCodeLabel(undefined)).toBe('OTHER');
    expect(operationTypeLabel('mutation')).toBe('mutation');
    expect(operationTypeLabel('drop table')).toBe('unknown');
  });

  it('knows the trusted documents\' operation names', () => {
    expect(knownOperationNames().has('PurchaseOffer')).toBe(true);
    expect(knownOperationNames().has('EventMonetization')).toBe(true);
  });
});

describe('the registry', () => {
  it('returns the metric already registered when a name is declared twice', () => {
    const first = counter({ name: 'unit_declared_twice_total', help: 'x' });
    expect(counter({ name: 'unit_declared_twice_total', help: 'x' })).toBe(first);
  });

  it('sums a sampled gauge over its sources at scrape time and drops a removed source', async () => {
    const gauge = sampledGauge('unit_sampled', 'x', ['side'] as const);
    const removeFirst = gauge.add(() => [{ labels: { side: 'a' }, value: 2 }]);
    gauge.add(async () => [{ labels: { side: 'a' }, value: 3 }, { labels: { side: 'b' }, value: 1 }]);
    gauge.add(() => {
      throw new Error('a source that cannot be read is left out');
    });
    let text = await metricsRegistry.getSingleMetricAsString('unit_sampled');
    expect(text).toContain('unit_sampled{side="a"} 5');
    expect(text).toContain('unit_sampled{side="b"} 1');
    removeFirst();
    text = await metricsRegistry.getSingleMetricAsString('unit_sampled');
    expect(text).toContain('unit_sampled{side="a"} 3');
  });
});

describe('the metrics server', () => {
  it('answers GET /metrics with the bearer token only, and nothing else on its port', async () => {
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0, token: 'a-token-of-sixteen-chars', logger: createLogger('silent') });
    try {
      expect((await fetch(server.url)).status).toBe(401);
      expect((await fetch(server.url, { headers: { authorization: 'Bearer a-token-of-sixteen-charx' } })).status).toBe(401);
      const ok = await fetch(server.url, { headers: { authorization: 'Bearer a-token-of-sixteen-chars' } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toContain('text/plain');
      expect(await ok.text()).toContain('process_cpu_seconds_total');
      expect((await fetch(server.url.replace('/metrics', '/graphql'))).status).toBe(404);
    } finally {
      await server.dispose();
    }
  });
});
