import { RedisLivePublisher } from '../../kernel/live/live-publisher';
import type { Runtime } from '../../kernel/runtime';
import { offersConfig } from './config';
import { FulfillmentPipeline } from './purchase/fulfillment';
import { OfferMaintenance } from './jobs/maintenance';
import { InventoryNotifier } from './live';
import { createPaymentProvider } from './payments';
import type { PaymentProvider } from './payments/provider';
import { PurchaseService } from './purchase/purchase-service';
import { PaymentSettlement } from './purchase/settlement';

/** The offers subgraph's long-lived services of one process, shared by resolvers, webhook and jobs. */
export interface OffersServices {
  payments: PaymentProvider;
  live: InventoryNotifier;
  fulfillment: FulfillmentPipeline;
  settlement: PaymentSettlement;
  purchases: PurchaseService;
  maintenance: OfferMaintenance;
}

/** Builds the services of the offers subgraph, once per process (the subgraph's `createServices`). */
export function createOffersServices(runtime: Runtime): OffersServices {
  const logger = runtime.logger.child({ subgraph: 'offers' });
  const settings = offersConfig.of(runtime.config);
  const payments = createPaymentProvider(settings.stripe, runtime.config.env, logger);
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
      reservationTtlMinutes: settings.reservationTtlMinutes,
      maxReservedUnitsPerUser: settings.maxReservedUnitsPerUser,
    }),
    maintenance: new OfferMaintenance(runtime.orm, settlement, fulfillment, live, logger),
  };
  return services;
}
