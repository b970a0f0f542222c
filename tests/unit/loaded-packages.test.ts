import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { RemoteGraphQLDataSource } from '@apollo/gateway';

jest.setTimeout(60_000);

const root = path.resolve(__dirname, '../..');

/** The packages under node_modules a fresh Node process has loaded once it required `modulePath` (through tsx). */
function packagesLoadedBy(modulePath: string, env: NodeJS.ProcessEnv = {}): string[] {
  const script = `
    require(${JSON.stringify(path.join(root, modulePath))});
    const names = new Set();
    for (const file of Object.keys(require.cache)) {
      const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(file.slice(file.lastIndexOf('node_modules/')));
      if (match) names.add(match[1]);
    }
    process.stdout.write(JSON.stringify([...names]));
    process.exit(0);
  `;
  const environment = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env };
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, env: environment }).toString()) as string[];
}

/**
 * Memory at start: each process loads only what it serves with (issue 19). The gateway has no use
 * for the ORM; the tracing SDK is for processes that trace; ExcelJS (670 modules, 7 MB of heap) is for
 * the first XLSX export.
 */
describe('what a process loads at start', () => {
  it('the gateway: no ORM, no tracing SDK, no ExcelJS, no Apollo telemetry exporter', () => {
    const loaded = packagesLoadedBy('gateway/server.ts');
    expect(loaded).toEqual(expect.arrayContaining(['@apollo/gateway', '@apollo/server']));
    expect(loaded).not.toContain('@mikro-orm/core');
    expect(loaded).not.toContain('@opentelemetry/sdk-trace-base');
    expect(loaded).not.toContain('exceljs');
    // @apollo/gateway's report to Apollo (off: gateway.apolloTelemetry) and its 13 MB of modules
    // (patches/@apollo+gateway+2.14.4.patch).
    expect(loaded).not.toContain('@opentelemetry/sdk-metrics');
    expect(loaded).not.toContain('@opentelemetry/exporter-metrics-otlp-http');
    expect(loaded).not.toContain('@opentelemetry/resource-detector-gcp');
    // Its default HTTP client, which our subgraph fetcher replaces (3 MB of heap, same patch).
    expect(loaded).not.toContain('make-fetch-happen');
  });

  it("@apollo/gateway's default HTTP client still serves a data source that brings no fetcher of its own", () => {
    const ownFetcher = jest.fn();
    expect(new RemoteGraphQLDataSource({ url: 'http://127.0.0.1:1/graphql', fetcher: ownFetcher }).fetcher).toBe(ownFetcher);
    const fetcher = new RemoteGraphQLDataSource({ url: 'http://127.0.0.1:1/graphql' }).fetcher as unknown as { defaults?: unknown };
    expect(typeof fetcher).toBe('function');
    expect(typeof fetcher.defaults).toBe('function');
  });

  it('the subgraphs: no tracing SDK and no ExcelJS until they are needed', () => {
    const loaded = packagesLoadedBy('subgraphs/serve.ts');
    expect(loaded).toEqual(expect.arrayContaining(['@apollo/subgraph', '@mikro-orm/core']));
    expect(loaded).not.toContain('@opentelemetry/sdk-trace-base');
    expect(loaded).not.toContain('exceljs');
  });

  it('the tracing SDK once tracing is asked for', () => {
    expect(packagesLoadedBy('kernel/observability/register-tracing.ts', { OTEL_TRACES_EXPORTER: 'console' })).toContain('@opentelemetry/sdk-trace-base');
    expect(packagesLoadedBy('kernel/observability/register-tracing.ts')).not.toContain('@opentelemetry/sdk-trace-base');
  });
});
