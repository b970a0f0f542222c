import { Migration } from '@mikro-orm/migrations';

/**
 * The W3C trace context of the request that wrote an outbox message (issue 18): the relay sends it
 * as Kafka headers, so consumers continue the request's trace. Null while tracing is off.
 */
export class Migration20261201000000_outbox_trace_context extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table outbox_messages add column trace_context jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table outbox_messages drop column trace_context;`);
  }
}
