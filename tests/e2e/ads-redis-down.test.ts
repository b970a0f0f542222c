import type { AdsServices } from '../../subgraphs/ads/services';
import { insertAd } from '../support/ads';
import { contractOperation } from '../support/contract-operations';
import { graphql } from '../support/graphql';
import { eventually } from '../support/timing';
import { freePort } from '../support/ports';
import { startStack, type TestStack } from '../support/stack';
import { TcpProxy } from '../support/tcp-proxy';
import { tokenFor } from '../support/tokens';

const ADS_FOR_CONTEXT = contractOperation('ads.graphql', 'AdsForContext');

/**
 * The stack reaches Redis through a loopback proxy that starts switched off: to the ads subgraph,
 * Redis is down (connection refused) and later comes back, while the shared Redis stays untouched.
 */
describe('ad serving when Redis fails', () => {
  let stack: TestStack;
  let proxy: TcpProxy;
  let token: string;

  const serve = async () => {
    const response = await graphql(stack.gatewayUrl, ADS_FOR_CONTEXT, {
      variables: { eventId: 'ev-private', placement: 'outage', limit: 5 },
      token,
    });
    expect(response.errors).toBeUndefined();
    const { degraded, ads } = response.data.adsForContext as { degraded: boolean; ads: { name: string }[] };
    return { degraded, names: ads.map((ad) => ad.name) };
  };

  beforeAll(async () => {
    const redis = new URL(process.env.REDIS_URL!);
    proxy = new TcpProxy(redis.hostname, Number(redis.port), await freePort());
    stack = await startStack({
      subgraphs: ['ads'],
      env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}${redis.pathname}`, ADS_CAP_COOLDOWN_MS: '300' },
    });
    // The heaviest ad is capped: it must not be the one served while caps cannot be checked.
    await insertAd(stack.runtime.orm, 'ev-private', { name: 'capped', placements: ['outage'], frequencyCap: 100, weight: 1000 });
    for (let i = 1; i <= 5; i += 1) await insertAd(stack.runtime.orm, 'ev-private', { name: `uncapped ${i}`, placements: ['outage'] });
    token = await tokenFor('u-vip');
  });
  afterAll(async () => {
    // ioredis leaves a 2-second timer behind when closing a client whose connection has already
    // dropped: let it reconnect first, so that the file ends promptly.
    await proxy.up();
    await eventually(() => stack.runtime.redis.status === 'ready', 5000, 'Redis to reconnect');
    await stack.close();
    await proxy.down();
  });

  it('serves at most one ad, without a cap, marked degraded, while Redis is unreachable', async () => {
    for (let i = 0; i < 6; i += 1) {
      const served = await serve();
      expect(served.degraded).toBe(true);
      expect(served.names).toHaveLength(1);
      expect(served.names[0]).toMatch(/^uncapped/);
    }
  });

  it('leaves Redis alone during the cool-down once the circuit has opened', () => {
    // Six failed checks are more than the three that open the circuit.
    expect(stack.servicesOf<AdsServices>('ads').caps.circuit).toBe('open');
  });

  it('resumes normal serving by itself once Redis is back', async () => {
    await proxy.up();
    const served = (await eventually(async () => {
      const attempt = await serve();
      return attempt.degraded ? undefined : attempt;
    }, 15_000, 'non-degraded serving after Redis returned'))!;
    expect(served.names).toHaveLength(5);
    expect(served.names).toContain('capped');
    expect(stack.servicesOf<AdsServices>('ads').caps.circuit).toBe('closed');
  });

  it('fails closed again when Redis goes away a second time', async () => {
    await proxy.down();
    const served = (await eventually(async () => {
      const attempt = await serve();
      return attempt.degraded ? attempt : undefined;
    }, 5000, 'degraded serving after Redis went away again'))!;
    expect(served.names.length).toBeLessThanOrEqual(1);
  });
});
