import { addCatalog } from '../support/catalog';
import { codesOf, graphql } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { TcpProxy } from '../support/tcp-proxy';
import { tokenFor } from '../support/tokens';

jest.setTimeout(60_000);

describe('PostgreSQL going away and coming back', () => {
  const target = new URL(process.env.DATABASE_URL!);
  const proxy = new TcpProxy(target.hostname, Number(target.port));
  let stack: TestStack;

  beforeAll(async () => {
    await proxy.up();
    stack = await startStack({ env: { DATABASE_URL: proxy.url(process.env.DATABASE_URL!) } });
    await addCatalog(stack.runtime.orm, 'ev-public', 2, 'EUR');
  });
  afterAll(async () => {
    await proxy.up();
    await stack.close();
    await proxy.down();
  });

  const query = '{ event(id: "ev-public") { id offers { title } } }';

  it('answers SERVICE_DEGRADED without SQL, stack or host names while it is down, and serves again once it returns', async () => {
    const token = await tokenFor('u-outsider');
    expect((await graphql(stack.gatewayUrl, query, { token })).data.event.offers).toHaveLength(2);

    await proxy.down();
    // An answer at all (within the test's timeout) says the gateway did not hang on the dead database.
    const degraded = await graphql(stack.gatewayUrl, query, { token });
    expect(codesOf(degraded)).toContain('SERVICE_DEGRADED');
    const text = JSON.stringify(degraded);
    expect(text).not.toMatch(/select|platform_events|ECONNREFUSED|127\.0\.0\.1|\bat \w+ \(|\.ts:\d+/i);

    await proxy.up();
    const recovered = await graphql(stack.gatewayUrl, query, { token });
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data.event.offers).toHaveLength(2);
  });
});
