import { spawn } from 'node:child_process';
import path from 'node:path';
import { graphql } from '../support/graphql';
import { freePort } from '../support/ports';
import { startEmbeddedSupergraph, waitUntilReady, type StartedProcess } from '../support/process';
import { eventually, sleep } from '../support/timing';

jest.setTimeout(90_000);

describe('graceful shutdown', () => {
  let started: StartedProcess | undefined;
  afterEach(() => {
    if (started && started.exitCode() === undefined) started.child.kill('SIGKILL');
  });

  it('on SIGTERM finishes the requests already accepted, then exits 0', async () => {
    started = await startEmbeddedSupergraph();
    await waitUntilReady(started, 60_000);
    const query = '{ event(id: "ev-public") { id offers { title inventory { available } } } }';
    const inFlight = Array.from({ length: 30 }, () =>
      graphql(started!.gatewayUrl, query).then(
        (response) => ({ outcome: response.errors ? 'error' : 'served' }),
        (error: Error & { cause?: { code?: string } }) => ({ outcome: error.cause?.code ?? error.message }),
      ),
    );
    await sleep(5);
    started.child.kill('SIGTERM');
    const outcomes = (await Promise.all(inFlight)).map((result) => result.outcome);
    // Each request is either served in full or refused before it was accepted; none is cut off.
    expect(outcomes.every((outcome) => outcome === 'served' || outcome === 'ECONNREFUSED')).toBe(true);
    expect(outcomes).toContain('served');
    expect(await started.waitForExit()).toBe(0);
    expect(started.output()).toMatch(/shutting down/);
  });

  it('exits at once on a second SIGTERM', async () => {
    started = await startEmbeddedSupergraph();
    await waitUntilReady(started, 60_000);
    started.child.kill('SIGTERM');
    // While the first shutdown is still draining (signals sent back to back may merge into one).
    await sleep(200);
    started.child.kill('SIGTERM');
    expect(await started.waitForExit(10_000)).toBe(1);
    expect(started.output()).toMatch(/second signal/);
  });

  it('drains a subgraph on SIGTERM: /health/ready answers 503 (Connection: close) for SHUTDOWN_DRAIN_MS while it still serves, then it exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'subgraphs/main.ts', 'ads'], {
      cwd: path.resolve(__dirname, '../..'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', LOG_LEVEL: 'info', ADS_PORT: String(port), SHUTDOWN_DRAIN_MS: '2000' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const base = `http://127.0.0.1:${port}`;
      await eventually(async () => (await fetch(`${base}/health/ready`)).status === 200, 60_000, `the ads subgraph to be ready (${output.slice(0, 300)})`);
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      await eventually(async () => (await fetch(`${base}/health/ready`)).status === 503, 1000, 'readiness to fail once draining');
      const draining = await fetch(`${base}/health/ready`);
      expect(await draining.json()).toEqual({ status: 'draining', subgraph: 'ads' });
      expect(draining.headers.get('connection')).toBe('close');
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      expect(await exited).toBe(0);
      expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(2000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
