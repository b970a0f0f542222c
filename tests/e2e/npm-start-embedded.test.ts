import { graphql } from '../support/graphql';
import { eventually } from '../support/timing';
import { startEmbeddedSupergraph, waitUntilReady, type StartedProcess } from '../support/process';

jest.setTimeout(90_000);

describe('npm start on a machine with no services', () => {
  let started: StartedProcess;

  afterAll(() => {
    if (started && started.exitCode() === undefined) started.child.kill('SIGKILL');
  });

  it('serves the supergraph on embedded stand-ins with demo data within 30 seconds, then stops on SIGTERM', async () => {
    const startedAt = Date.now();
    started = await startEmbeddedSupergraph();
    await waitUntilReady(started, 30_000);
    expect(Date.now() - startedAt).toBeLessThan(30_000);

    const firstLines = started.output().split('\n').slice(0, 3).join('\n');
    expect(firstLines).toMatch(/EMBEDDED MODE/);
    expect(firstLines).toMatch(/DATABASE_URL/);
    expect(started.output()).toContain(started.gatewayUrl);

    const response = await graphql(started.gatewayUrl, '{ event(id: "ev-public") { id offers { title price { formatted } } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data.event.offers).toEqual([{ title: 'Open Day tote bag', price: { formatted: '€0.00' } }]);

    started.child.kill('SIGTERM');
    await eventually(() => started.exitCode() !== undefined, 20_000, 'the process to exit');
    expect(started.exitCode()).toBe(0);
  });
});
