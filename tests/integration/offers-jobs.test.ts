import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { createLogger } from '../../kernel/logger';
import { createRedis, type RedisTarget } from '../../kernel/redis';
import { redisKeysOf } from '../../kernel/redis-keys';
import { OfferPurchase, type PurchaseStatus } from '../../subgraphs/offers/entities/offer-purchase';
import { startScheduler, type ScheduledJob } from '../../kernel/jobs/scheduler';
import type { OffersServices } from '../../subgraphs/offers/services';
import { eventually, sleep } from '../support/timing';
import { insertOffer, inventoryOf } from '../support/offers';
import { startStack, type TestStack } from '../support/stack';
import { startStripeServer, type LocalStripeServer } from '../support/stripe-server';
import { redisTargets, singleNodeTarget } from '../support/redis-targets';

const minute = 60_000;
const logger = createLogger('silent');

/** A BullMQ queue on a test Redis (by default the single node), under the prefix the scheduler uses there. */
async function withQueue<T>(name: string, use: (queue: Queue) => Promise<T>, target: RedisTarget = singleNodeTarget()): Promise<T> {
  const connection = await createRedis(target, { maxRetriesPerRequest: null, enableOfflineQueue: true, commandTimeout: undefined });
  const queue = new Queue(name, { connection, prefix: redisKeysOf(connection).bullPrefix });
  try {
    return await use(queue);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

describe('the offers subgraph\'s scheduled jobs', () => {
  let stripe: LocalStripeServer;
  let stack: TestStack;
  let services: OffersServices;

  beforeAll(async () => {
    stripe = await startStripeServer();
    stack = await startStack({ subgraphs: ['offers'], gateway: false, env: stripe.env() });
    services = stack.servicesOf<OffersServices>('offers');
  });
  afterAll(async () => {
    await stack.close();
    await stripe.close();
  });
  beforeEach(async () => {
    await stack.reset();
    stripe.requests.length = 0;
  });

  /** A purchase row as a payment in flight would leave it; the offer's counters are set by the caller. */
  async function insertPurchase(
    offerId: string,
    fields: { status: PurchaseStatus; quantity: number; expiresAt: Date | null; paymentIntentId?: string; updatedAt?: Date },
  ): Promise<string> {
    const purchase = new OfferPurchase(offerId, 'ev-private', 'u-vip', fields.quantity, 1000, 1000 * fields.quantity, 'USD', randomUUID());
    purchase.status = fields.status;
    purchase.reservationExpiresAt = fields.expiresAt;
    purchase.paymentIntentId = fields.paymentIntentId ?? null;
    purchase.paymentProvider = 'STRIPE';
    if (fields.status === 'COMPLETED') purchase.completedAt = new Date();
    await stack.runtime.orm.em.fork().persistAndFlush(purchase);
    if (fields.updatedAt) {
      await stack.runtime.orm.em.fork().execute('update offer_purchases set updated_at = ? where id = ?', [fields.updatedAt, purchase.id]);
    }
    return purchase.id;
  }

  const statusOf = async (purchaseId: string) =>
    (await stack.runtime.orm.em.fork().execute<{ status: string }[]>('select status from offer_purchases where id = ?', [purchaseId]))[0].status;

  it('releases lapsed reservations, cancels their payment intents, and leaves everything else alone', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', inventoryTotal: 20, reserved: 2 + 3, sold: 4 });
    const other = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', inventoryTotal: 5, reserved: 1 });
    const lapsed = await insertPurchase(offer.id, { status: 'RESERVED', quantity: 2, expiresAt: new Date(Date.now() - minute), paymentIntentId: 'pi_lapsed' });
    const holding = await insertPurchase(offer.id, { status: 'RESERVED', quantity: 3, expiresAt: new Date(Date.now() + 10 * minute) });
    const paid = await insertPurchase(offer.id, { status: 'COMPLETED', quantity: 4, expiresAt: new Date(Date.now() - 30 * minute) });
    const lapsedElsewhere = await insertPurchase(other.id, { status: 'RESERVED', quantity: 1, expiresAt: new Date(Date.now() - 1) });

    expect(await services.maintenance.releaseStaleReservations()).toEqual({ released: 2 });

    expect(await statusOf(lapsed)).toBe('EXPIRED');
    expect(await statusOf(lapsedElsewhere)).toBe('EXPIRED');
    expect(await statusOf(holding)).toBe('RESERVED');
    expect(await statusOf(paid)).toBe('COMPLETED');
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 3, sold: 4 });
    expect(await inventoryOf(stack.runtime.orm, other.id)).toMatchObject({ reserved: 0, sold: 0 });
    expect(stripe.requests.map((request) => request.path)).toEqual(['/v1/payment_intents/pi_lapsed/cancel']);

    // Running it again finds nothing more to do.
    expect(await services.maintenance.releaseStaleReservations()).toEqual({ released: 0 });
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 3, sold: 4 });
  });

  it('releases each lapsed reservation once when two replicas run the job at the same time', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', inventoryTotal: 100, reserved: 60 });
    for (let i = 0; i < 60; i += 1) await insertPurchase(offer.id, { status: 'RESERVED', quantity: 1, expiresAt: new Date(Date.now() - minute) });
    const [a, b] = await Promise.all([services.maintenance.releaseStaleReservations(), services.maintenance.releaseStaleReservations()]);
    expect(a.released + b.released).toBe(60);
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 0 });
  });

  it('expires active offers past their end and nothing else', async () => {
    const now = Date.now();
    const ended = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', expiresAt: new Date(now - minute), startsAt: new Date(now - 60 * minute) });
    const running = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', expiresAt: new Date(now + 60 * minute) });
    const endless = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', currency: 'EUR' });
    const alreadyOff = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', isActive: false, expiresAt: new Date(now - minute), startsAt: new Date(now - 60 * minute) });
    const updatedAt = async (id: string) =>
      (await stack.runtime.orm.em.fork().execute<{ updated_at: Date }[]>('select updated_at from offers where id = ?', [id]))[0].updated_at;
    const untouchedBefore = new Date(await updatedAt(alreadyOff.id)).getTime();

    expect(await services.maintenance.expireOffers()).toEqual({ expired: 1 });
    expect((await inventoryOf(stack.runtime.orm, ended.id)).isActive).toBe(false);
    expect((await inventoryOf(stack.runtime.orm, running.id)).isActive).toBe(true);
    expect((await inventoryOf(stack.runtime.orm, endless.id)).isActive).toBe(true);
    expect(new Date(await updatedAt(alreadyOff.id)).getTime()).toBe(untouchedBefore);
    expect(await services.maintenance.expireOffers()).toEqual({ expired: 0 });
  });

  it('resumes paid purchases whose fulfillment stalled, and only those', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', type: 'SERVICE' });
    const stalled = await insertPurchase(offer.id, { status: 'COMPLETED', quantity: 1, expiresAt: null, updatedAt: new Date(Date.now() - 10 * minute) });
    const justPaid = await insertPurchase(offer.id, { status: 'COMPLETED', quantity: 1, expiresAt: null });
    const unpaid = await insertPurchase(offer.id, { status: 'RESERVED', quantity: 1, expiresAt: new Date(Date.now() + minute), updatedAt: new Date(Date.now() - 10 * minute) });
    expect(await services.maintenance.resumeStalledFulfillment()).toEqual({ resumed: 1 });
    const fulfillment = async (id: string) =>
      (await stack.runtime.orm.em.fork().execute<{ fulfillment_status: string }[]>('select fulfillment_status from offer_purchases where id = ?', [id]))[0]
        .fulfillment_status;
    expect(await fulfillment(stalled)).toBe('FULFILLED');
    expect(await fulfillment(justPaid)).toBe('PENDING');
    expect(await fulfillment(unpaid)).toBe('PENDING');
  });

  it('registers the jobs as BullMQ job schedulers on Redis with their intervals', async () => {
    const schedulers = await withQueue('offers-maintenance', (queue) => queue.getJobSchedulers());
    const byName = Object.fromEntries(schedulers.map((scheduler) => [scheduler.key, Number(scheduler.every)]));
    expect(byName).toEqual({
      'release-stale-reservations': 5 * minute,
      'resume-stalled-fulfillment': 5 * minute,
      'expire-offers': 30 * minute,
    });
  });
});

describe.each(redisTargets())('the job scheduler on %s', (_name, target) => {
  it('runs each tick once however many replicas schedule the same job on Redis', async () => {
    const queueName = `offers-scheduler-test-${randomUUID()}`;
    const runs: string[] = [];
    const job = (replica: string): ScheduledJob => ({
      name: 'tick',
      everyMs: 200,
      run: async () => {
        runs.push(replica);
      },
    });
    const replicas = await Promise.all(
      ['a', 'b', 'c'].map((replica) => startScheduler({ redis: target, queueName, jobs: [job(replica)], logger })),
    );
    const started = Date.now();
    await eventually(() => runs.length >= 5, 5_000, 'five ticks');
    const elapsed = Date.now() - started;
    await Promise.all(replicas.map((replica) => replica.dispose()));
    // One run per 200 ms tick at most (plus the one at registration), not one per replica.
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 2);

    await withQueue(
      queueName,
      async (queue) => {
        expect(await queue.getJobSchedulers()).toHaveLength(1);
        await queue.obliterate({ force: true });
      },
      target,
    );
  });
});

describe('the job scheduler', () => {
  it('starts without waiting for an unreachable Redis, and stops cleanly', async () => {
    // Redis at port 1 never answers: returning at all means registration gave up after its wait.
    const scheduler = await startScheduler({
      redis: 'redis://127.0.0.1:1',
      queueName: 'unreachable',
      jobs: [{ name: 'tick', everyMs: 1000, run: async () => undefined }],
      logger,
      registrationWaitMs: 200,
    });
    await scheduler.dispose();
  });

  it('falls back to in-process timers without real Redis, and stops them on dispose', async () => {
    let runs = 0;
    const scheduler = await startScheduler({
      queueName: 'unused',
      jobs: [{ name: 'tick', everyMs: 30, run: async () => void (runs += 1) }],
      logger,
    });
    await eventually(() => runs >= 3, 2_000, 'three in-process ticks');
    await scheduler.dispose();
    const after = runs;
    await sleep(120);
    expect(runs).toBe(after);
  });

  it('releases a lapsed reservation on its own once the subgraph\'s scheduler is due', async () => {
    const stack = await startStack({ subgraphs: ['offers'], gateway: false, env: { OFFER_RESERVATION_SWEEP_MS: '200' } });
    try {
      const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', inventoryTotal: 5, reserved: 2 });
      const purchase = new OfferPurchase(offer.id, 'ev-private', 'u-vip', 2, 1000, 2000, 'USD', randomUUID());
      purchase.reservationExpiresAt = new Date(Date.now() - 1000);
      await stack.runtime.orm.em.fork().persistAndFlush(purchase);
      await eventually(async () => (await inventoryOf(stack.runtime.orm, offer.id)).reserved === 0, 15_000, 'the scheduled release');
    } finally {
      await stack.close();
      // Put the production interval back for the stacks of later test files.
      await withQueue('offers-maintenance', (queue) =>
        queue.upsertJobScheduler('release-stale-reservations', { every: 5 * minute }, { name: 'release-stale-reservations' }),
      );
    }
  });
});
