import type { EntityManager } from '@mikro-orm/postgresql';
import { RedisLivePublisher } from '../../kernel/live/live-events';
import type { Runtime } from '../../kernel/runtime';
import { FulfillmentPipeline } from './fulfillment';
import { OfferMaintenance } from './jobs/maintenance';
import { InventoryNotifier } from './live';
import { createPaymentProvider } from './payments';
import type { PaymentProvider } from './payments/provider';
import { PurchaseService } from './purchase-service';
import { PaymentSettlement } from './settlement';

/** The offers subgraph's long-lived services of one process, shared by resolvers, webhook and jobs. */
export interface OffersServices {
  payments: PaymentProvider;
  live: InventoryNotifier;
  fulfillment: FulfillmentPipeline;
  settlement: PaymentSettlement;
  purchases: PurchaseService;
  maintenance: OfferMaintenance;
}

/*
 * Keyed by the ORM's configuration, which every EntityManager forked from that ORM shares: a
 * resolver reaches its runtime's services through `context.em` without the kernel's request
 * context knowing about payments. Several runtimes in one process (tests) stay apart.
 */
const servicesByOrm = new WeakMap<object, OffersServices>();

/** Builds (once per runtime) the services of the offers subgraph. */
export function offersServicesOf(runtime: Runtime): OffersServices {
  const existing = servicesByOrm.get(runtime.orm.config);
  if (existing) return existing;
  const logger = runtime.logger.child({ subgraph: 'offers' });
  const payments = createPaymentProvider(runtime.config, logger);
  const live = new InventoryNotifier(
    new RedisLivePublisher(runtime.redis, (error) => logger.warn({ err: error }, 'live inventory message not published')),
  );
  const fulfillment = new FulfillmentPipeline(runtime.orm, logger);
  const settlement = new PaymentSettlement(runtime.orm, payments, fulfillment, live, logger);
  const services: OffersServices = {
    payments,
    live,
    fulfillment,
    settlement,
    purchases: new PurchaseService({
      orm: runtime.orm,
      payments,
      settlement,
      fulfillment,
      live,
      logger,
      reservationTtlMinutes: runtime.config.offers.reservationTtlMinutes,
    }),
    maintenance: new OfferMaintenance(runtime.orm, settlement, fulfillment, live, logger),
  };
  servicesByOrm.set(runtime.orm.config, services);
  return services;
}

/** The services of the runtime a request's EntityManager belongs to. */
export function offersServicesFor(em: EntityManager): OffersServices {
  const services = servicesByOrm.get(em.config);
  if (!services) throw new Error('The offers services were not started for this runtime.');
  return services;
}
