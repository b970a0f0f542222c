import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Redis } from '../../kernel/redis';
import { capKey, FrequencyCaps, FREQUENCY_WINDOW_SECONDS } from '../../subgraphs/ads/serving/frequency-caps';
import { ThrottledWarning } from '../../subgraphs/ads/serving/throttled-warning';
import { emptyRedis, redisTargets } from '../support/redis-targets';
import { sleep } from '../support/timing';

/** A pino logger whose lines land in an array, to see what an operator would see. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, warnings: () => lines.filter((line) => line.level === 40).map((line) => line.msg) };
}

/** Stands in for Redis where the test needs it to fail or hang, and counts what reaches it. */
function fakeRedis(behaviour: () => Promise<unknown>) {
  const fake = { calls: 0, eval: () => ((fake.calls += 1), behaviour()) };
  return fake as typeof fake & Redis;
}


describe('frequency caps in Redis', () => {
  const options = (logger = capturingLogger().logger) => ({ logger, timeoutMs: 150, cooldownMs: 200, warnEveryMs: 60_000 });

  describe.each(redisTargets())('against %s', (_name, target) => {
    let redis: Redis;
    // The kernel's client, which fails fast instead of queueing: connected before the first check.
    beforeAll(async () => {
      redis = await emptyRedis(target);
    });
    afterAll(() => redis.disconnect());

    it('picks, in the given order, the ads under their cap, up to the limit, and counts them', async () => {
      const caps = new FrequencyCaps(redis, options());
      const user = `user-${randomUUID()}`;
      const candidates = [
        { adId: 'a', cap: 1 },
        { adId: 'b', cap: null },
        { adId: 'c', cap: 2 },
      ];
      expect(await caps.pick(user, candidates, 2)).toEqual({ checked: true, picked: [0, 1] });
      expect(await caps.pick(user, candidates, 2)).toEqual({ checked: true, picked: [1, 2] });
      expect(await caps.pick(user, candidates, 3)).toEqual({ checked: true, picked: [1, 2] });
      expect(await caps.pick(user, candidates, 3)).toEqual({ checked: true, picked: [1] });
      expect(await redis.get(capKey(user, 'b'))).toBe('4');
      expect(await redis.get(capKey(user, 'c'))).toBe('2');
    });

    it('lets counters expire on their own after a fixed 24-hour window that later impressions do not extend', async () => {
      const caps = new FrequencyCaps(redis, options());
      const user = `user-${randomUUID()}`;
      await caps.pick(user, [{ adId: 'a', cap: 10 }], 1);
      const ttl = await redis.ttl(capKey(user, 'a'));
      expect(ttl).toBeGreaterThan(FREQUENCY_WINDOW_SECONDS - 60);
      expect(ttl).toBeLessThanOrEqual(FREQUENCY_WINDOW_SECONDS);
      await redis.expire(capKey(user, 'a'), 100);
      await caps.pick(user, [{ adId: 'a', cap: 10 }], 1);
      expect(await redis.ttl(capKey(user, 'a'))).toBeLessThanOrEqual(100);
    });

    it('never lets concurrent requests of one user go past the cap', async () => {
      // A generous timeout: this is about the count, and a busy test process (a GC pause) must not
      // turn 30 answers into "not checked"; the short timeout has tests of its own below.
      const caps = new FrequencyCaps(redis, { ...options(), timeoutMs: 5_000 });
      const user = `user-${randomUUID()}`;
      const decisions = await Promise.all(Array.from({ length: 30 }, () => caps.pick(user, [{ adId: 'a', cap: 5 }], 1)));
      const served = decisions.filter((decision) => decision.checked && decision.picked.length === 1);
      expect(served).toHaveLength(5);
      expect(await redis.get(capKey(user, 'a'))).toBe('5');
    });
  });

  describe('failing closed', () => {
    it('answers "not checked" when Redis hangs, once the short timeout passes', async () => {
      // This Redis never answers: any answer at all comes from the timeout.
      const caps = new FrequencyCaps(fakeRedis(() => new Promise(() => undefined)), options());
      expect(await caps.pick('u', [{ adId: 'a', cap: null }], 5)).toEqual({ checked: false });
    });

    it('answers "not checked" when Redis errors, and on an answer it cannot read', async () => {
      const refused = new FrequencyCaps(fakeRedis(() => Promise.reject(new Error('ECONNREFUSED'))), options());
      expect(await refused.pick('u', [{ adId: 'a', cap: null }], 5)).toEqual({ checked: false });
      const garbled = new FrequencyCaps(fakeRedis(() => Promise.resolve('1,9')), options());
      expect(await garbled.pick('u', [{ adId: 'a', cap: null }], 5)).toEqual({ checked: false });
    });

    it('stops calling Redis during the cool-down after three failures, then tries once and recovers', async () => {
      let healthy = false;
      const fake = fakeRedis(() => (healthy ? Promise.resolve('1') : Promise.reject(new Error('ECONNREFUSED'))));
      const caps = new FrequencyCaps(fake, options());
      for (let i = 0; i < 3; i += 1) await caps.pick('u', [{ adId: 'a', cap: 1 }], 1);
      expect(fake.calls).toBe(3);
      expect(caps.circuit).toBe('open');
      for (let i = 0; i < 20; i += 1) expect(await caps.pick('u', [{ adId: 'a', cap: 1 }], 1)).toEqual({ checked: false });
      expect(fake.calls).toBe(3);

      await sleep(250);
      // Still down after the cool-down: one trial call, and the circuit opens again.
      expect(await caps.pick('u', [{ adId: 'a', cap: 1 }], 1)).toEqual({ checked: false });
      expect(await caps.pick('u', [{ adId: 'a', cap: 1 }], 1)).toEqual({ checked: false });
      expect(fake.calls).toBe(4);

      healthy = true;
      await sleep(250);
      expect(await caps.pick('u', [{ adId: 'a', cap: 1 }], 1)).toEqual({ checked: true, picked: [0] });
      expect(caps.circuit).toBe('closed');
    });

    it('warns once per period however many requests are degraded, and again when the circuit opens', async () => {
      const { logger, warnings } = capturingLogger();
      const caps = new FrequencyCaps(fakeRedis(() => Promise.reject(new Error('ECONNREFUSED'))), options(logger));
      for (let i = 0; i < 50; i += 1) await caps.pick('u', [{ adId: 'a', cap: 1 }], 1);
      expect(warnings()).toEqual([
        'ad frequency caps unavailable: serving at most one uncapped ad',
        'ad frequency caps: circuit opened, Redis left alone for the cool-down',
      ]);
    });
  });

  it('a throttled warning is logged at most once per period and counts what it stands for', () => {
    const { logger, warnings } = capturingLogger();
    let now = 0;
    const warning = new ThrottledWarning(logger, 1000, () => now);
    for (let i = 0; i < 10; i += 1) warning.note('redis down');
    now = 999;
    warning.note('redis down');
    now = 1000;
    warning.note('redis down');
    expect(warnings()).toEqual(['redis down', 'redis down']);
  });
});
