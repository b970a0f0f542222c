import { Migration } from '@mikro-orm/migrations';

/** Lets the relay find, per key, an older unsent message cheaply (it holds newer ones back). */
export class Migration20261125110000_outbox_key_order extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index outbox_messages_pending_key_idx on outbox_messages (topic, message_key, created_at, id) where sent_at is null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists outbox_messages_pending_key_idx;`);
  }
}
