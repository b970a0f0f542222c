import { graphql } from '../support/graphql';
import { startEmbeddedSupergraph, waitUntilReady, type StartedProcess } from '../support/process';
import { sleep } from '../support/timing';

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
});
