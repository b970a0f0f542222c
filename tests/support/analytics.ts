import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createEnvelope, type Envelope } from '../../kernel/events/envelope';
import { MONETIZATION_TOPIC, type MonetizationEventData, type MonetizationEventType } from '../../kernel/contracts/monetization-events';
import { createLogger } from '../../kernel/logger';
import { SeedFile } from '../../kernel/contracts/platform-records';
import { applySeed } from '../../kernel/platform/seed';
import { ingestMonetizationMessage } from '../../subgraphs/analytics/ingestion/ingest';

const CONTRACT_OPERATIONS = path.resolve(__dirname, '../../../shared/contract/operations');

/** One named operation of a contract operation file, exactly as the clients send it. */
export function contractOperation(file: string, name: string): DocumentNode {
  const document = parse(readFileSync(path.join(CONTRACT_OPERATIONS, file), 'utf8'));
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === 'OperationDefinition' && definition.name?.value === name,
  );
  if (!operation) throw new Error(`No operation ${name} in ${file}`);
  return parse(print({ kind: 'Document', definitions: [operation] } as DocumentNode));
}

/**
 * Adds a platform event of its own for a test (an id nobody else uses), owned by u-owner of
 * org-acme unless told otherwise: other tests publish facts about the fixture's events on the
 * shared topic, and this keeps them out of the numbers.
 */
export async function addAnalyticsEvent(
  orm: MikroORM,
  options: { id?: string; currency?: string; ownerId?: string; organizationId?: string; name?: string } = {},
): Promise<string> {
  const id = options.id ?? `ev-analytics-${Math.random().toString(36).slice(2, 10)}`;
  await applySeed(
    orm,
    SeedFile.parse({
      events: [
        {
          id,
          organizationId: options.organizationId ?? 'org-acme',
          ownerId: options.ownerId ?? 'u-owner',
          name: options.name ?? 'Analytics conference',
          isPublic: false,
          currency: options.currency ?? 'USD',
        },
      ],
    }),
  );
  return id;
}

/** A monetization envelope as `publishMonetizationEvent` would write it. */
export function monetizationEnvelope(
  type: MonetizationEventType,
  data: MonetizationEventData,
  occurredAt: Date = new Date(),
): Envelope<MonetizationEventData> {
  return createEnvelope(type, data, occurredAt);
}

/** Ingests envelopes through the analytics consumer's own code path, without a broker. */
export async function ingest(orm: MikroORM, envelopes: Envelope[]): Promise<void> {
  const logger = createLogger('silent');
  const live = { publish: async () => undefined };
  for (const envelope of envelopes) {
    await ingestMonetizationMessage(orm.em.fork(), live, logger, { topic: MONETIZATION_TOPIC, key: null, envelope });
  }
}
