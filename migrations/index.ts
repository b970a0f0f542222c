import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000_initial } from './Migration20261125000000_initial';
import { Migration20261125100300_offer_payments_fulfillment } from './Migration20261125100300_offer_payments_fulfillment';
import { Migration20261125100500_waitlist_tiers } from './Migration20261125100500_waitlist_tiers';
import { Migration20261125100600_analytics_labels } from './Migration20261125100600_analytics_labels';
import { Migration20261125110000_outbox_key_order } from './Migration20261125110000_outbox_key_order';
import { Migration20261130000000_report_schedules } from './Migration20261130000000_report_schedules';
import { Migration20261130100000_money_minor_units } from './Migration20261130100000_money_minor_units';
import { Migration20261130100100_partial_refunds } from './Migration20261130100100_partial_refunds';
import { Migration20261130220000_live_versions } from './Migration20261130220000_live_versions';
import { Migration20261201000000_outbox_trace_context } from './Migration20261201000000_outbox_trace_context';

/** Every committed migration, in order. Listed explicitly so that tsx, jest and dist/ all find them. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125000000_initial', class: Migration20261125000000_initial },
  { name: 'Migration20261125100300_offer_payments_fulfillment', class: Migration20261125100300_offer_payments_fulfillment },
  { name: 'Migration20261125100500_waitlist_tiers', class: Migration20261125100500_waitlist_tiers },
  { name: 'Migration20261125100600_analytics_labels', class: Migration20261125100600_analytics_labels },
  { name: 'Migration20261125110000_outbox_key_order', class: Migration20261125110000_outbox_key_order },
  { name: 'Migration20261130000000_report_schedules', class: Migration20261130000000_report_schedules },
  { name: 'Migration20261130100000_money_minor_units', class: Migration20261130100000_money_minor_units },
  { name: 'Migration20261130100100_partial_refunds', class: Migration20261130100100_partial_refunds },
  { name: 'Migration20261130220000_live_versions', class: Migration20261130220000_live_versions },
  { name: 'Migration20261201000000_outbox_trace_context', class: Migration20261201000000_outbox_trace_context },
];
