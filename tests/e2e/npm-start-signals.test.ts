import { eventually } from '../support/timing';
import { portOpen, startEmbeddedSupergraph, waitUntilReady } from '../support/process';

// Starting the whole supergraph through npm takes seconds alone, minutes on a machine shared by several suites.
jest.setTimeout(420_000);

type Started = Awaited<ReturnType<typeof startEmbeddedSupergraph>>;

/** Every process whose parent is `pid` (from /proc), with its command line. */
async function childrenOf(pid: number): Promise<{ pid: number; command: string }[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const children: { pid: number; command: string }[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== pid) continue;
      const command = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').join(' ').trim();
      children.push({ pid: Number(entry), command });
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * npm runs a script through `sh -c`; a SIGTERM to npm used to end npm and the shell while node went
 * on holding ports 4000–4004. The scripts exec node, so npm's child is node and gets the signal.
 */
describe('stopping `npm start` and `npm run gateway` with SIGTERM', () => {
  const started: Started[] = [];
  afterAll(async () => {
    for (const one of started) {
      for (const child of await childrenOf(one.child.pid!)) process.kill(child.pid, 'SIGKILL');
      if (one.exitCode() === undefined) one.child.kill('SIGKILL');
    }
  });

  it('npm start: SIGTERM to the npm process stops node and frees all its ports (five servers and metrics)', async () => {
    const one = await startEmbeddedSupergraph({ SHUTDOWN_DRAIN_MS: '500' }, { via: 'npm' });
    started.push(one);
    await waitUntilReady(one, 240_000);
    const children = await childrenOf(one.child.pid!);
    expect(children).toEqual([expect.objectContaining({ command: expect.stringMatching(/^node .*main\.ts$/) })]);
    for (const port of one.ports) expect(await portOpen(port)).toBe(true);

    one.child.kill('SIGTERM');
    await one.waitForExit(30_000);
    await eventually(async () => !alive(children[0]!.pid), 15_000, 'node to exit');
    for (const port of one.ports) expect(await portOpen(port)).toBe(false);
  });

  it('npm run gateway: SIGTERM to the npm process stops the gateway and frees its port', async () => {
    const one = await startEmbeddedSupergraph({ SHUTDOWN_DRAIN_MS: '500' }, { via: 'npm', script: 'gateway' });
    started.push(one);
    const gatewayPort = one.ports[0]!;
    // Its subgraphs are not running: it listens (and is not ready).
    await eventually(() => portOpen(gatewayPort), 180_000, 'the gateway to listen');
    const [node] = await childrenOf(one.child.pid!);
    expect(node?.command).toMatch(/^node .*gateway\/main\.ts$/);

    one.child.kill('SIGTERM');
    await one.waitForExit(30_000);
    await eventually(async () => !alive(node!.pid), 15_000, 'node to exit');
    expect(await portOpen(gatewayPort)).toBe(false);
  });
});
