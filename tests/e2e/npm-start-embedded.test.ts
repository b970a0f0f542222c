import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { graphql } from '../support/graphql';
import { eventually } from '../support/kafka';
import { freePort } from '../support/ports';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '../..');

describe('npm start on a machine with no services', () => {
  let child: ChildProcess;
  let output = '';
  let exitCode: number | null = null;

  afterAll(async () => {
    if (child && exitCode === null) child.kill('SIGKILL');
  });

  it('serves the supergraph on embedded stand-ins with demo data within 30 seconds, then stops on SIGTERM', async () => {
    const [gateway, offers, ads, waitlist, analytics] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', LOG_LEVEL: 'info' };
    Object.assign(env, {
      GATEWAY_PORT: String(gateway),
      OFFERS_PORT: String(offers),
      ADS_PORT: String(ads),
      WAITLIST_PORT: String(waitlist),
      ANALYTICS_PORT: String(analytics),
    });
    const started = Date.now();
    child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'main.ts'], { cwd: ROOT, env });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (exitCode = code));

    const url = `http://127.0.0.1:${gateway}/graphql`;
    await eventually(
      async () => (await fetch(url.replace('/graphql', '/health/ready'))).status === 200,
      30_000,
      `the gateway to be ready (output so far: ${output.slice(0, 500)})`,
    );
    expect(Date.now() - started).toBeLessThan(30_000);

    const firstLines = output.split('\n').slice(0, 3).join('\n');
    expect(firstLines).toMatch(/EMBEDDED MODE/);
    expect(firstLines).toMatch(/DATABASE_URL/);
    expect(output).toContain(`http://127.0.0.1:${gateway}/graphql`);

    const response = await graphql(url, '{ event(id: "ev-public") { id offers { title price { formatted } } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data.event.offers).toEqual([{ title: 'Open Day tote bag', price: { formatted: '€0.00' } }]);

    child.kill('SIGTERM');
    await eventually(() => exitCode !== null, 20_000, 'the process to exit');
    expect(exitCode).toBe(0);
  });
});
