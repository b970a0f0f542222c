import type { MikroORM } from '@mikro-orm/postgresql';
import type { Disposable, EventBus } from '../events/bus';
import type { IncomingMessage } from '../events/envelope';
import { applyOnce } from '../events/idempotent';
import type { Logger } from '../logger';
import { PlatformReadModel } from './read-model';
import { PLATFORM_TOPIC, PlatformMessageTypes, type PlatformMessageType } from '../contracts/platform-records';

const CONSUMER = 'platform-read-model';

/**
 * Applies one `platform.events.v1` message to the read model, once per envelope id.
 * Unknown types and malformed data are logged and skipped: they would never succeed on retry.
 */
export async function applyPlatformMessage(orm: MikroORM, logger: Logger, message: IncomingMessage): Promise<boolean> {
  const { envelope } = message;
  const schema = PlatformMessageTypes[envelope.type as PlatformMessageType];
  if (!schema) {
    logger.warn({ type: envelope.type, id: envelope.id }, 'ignoring an unknown platform message type');
    return false;
  }
  const parsed = schema.safeParse(envelope.data);
  if (!parsed.success) {
    logger.warn({ type: envelope.type, id: envelope.id, issues: parsed.error.issues }, 'ignoring a malformed platform message');
    return false;
  }
  return applyOnce(orm.em.fork(), CONSUMER, envelope.id, async (tx) => {
    const model = new PlatformReadModel(tx);
    const data = parsed.data as never;
    switch (envelope.type as PlatformMessageType) {
      case 'UserUpserted':
        return model.upsertUser(data);
      case 'OrganizationUpserted':
        return model.upsertOrganization(data);
      case 'EventUpserted':
        return model.upsertEvent(data);
      case 'SessionUpserted':
        return model.upsertSession(data);
      case 'RegistrationUpserted':
        return model.upsertRegistration(data);
      case 'RegistrationCancelled':
        return model.cancelRegistration(data);
    }
  });
}

/** Consumes the platform topic into the read model; every replica joins one consumer group. */
export function consumePlatformEvents(orm: MikroORM, bus: EventBus, logger: Logger): Promise<Disposable> {
  const log = logger.child({ component: CONSUMER });
  return bus.subscribe({
    groupId: CONSUMER,
    topics: [PLATFORM_TOPIC],
    fromBeginning: true,
    handler: async (message) => {
      await applyPlatformMessage(orm, log, message);
    },
  });
}
