import { randomUUID } from 'node:crypto';
import { createEnvelope, type Envelope } from '../../kernel/events/envelope';
import { PLATFORM_TOPIC } from '../../kernel/contracts/platform-records';
import { testKafka } from '../support/kafka';
import { eventually } from '../support/timing';
import { startStack, type TestStack } from '../support/stack';

jest.setTimeout(120_000);

describe('the platform read model consuming platform.events.v1 from Kafka', () => {
  let stack: TestStack;
  const producer = testKafka().producer();

  beforeAll(async () => {
    stack = await startStack({ kafka: true, workers: true, gateway: false, subgraphs: [] });
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await stack.close();
  });

  const send = (key: string, ...envelopes: Envelope[]) =>
    producer.send({ topic: PLATFORM_TOPIC, messages: envelopes.map((envelope) => ({ key, value: JSON.stringify(envelope) })) });
  const query = <T>(sql: string, params: unknown[]) => stack.runtime.orm.em.fork().execute<T[]>(sql, params);

  it('ingests organizations, events, sessions and registrations, and a duplicate delivery counts once', async () => {
    const suffix = randomUUID().slice(0, 8);
    const orgId = `org-${suffix}`;
    const eventId = `ev-${suffix}`;
    const firstMembers = createEnvelope('OrganizationUpserted', { id: orgId, name: 'Org', members: ['u-a'] });
    const laterMembers = createEnvelope('OrganizationUpserted', { id: orgId, name: 'Org renamed', members: ['u-a', 'u-b'] });
    await send(orgId, firstMembers, laterMembers, firstMembers);
    await send(
      eventId,
      createEnvelope('EventUpserted', {
        id: eventId,
        organizationId: orgId,
        ownerId: 'u-a',
        name: 'Launch',
        isPublic: false,
        currency: 'GBP',
        sessions: [{ id: `s-${suffix}`, title: 'Talk', capacity: 40, startsAt: '2026-12-05T10:00:00Z' }],
      }),
      createEnvelope('RegistrationUpserted', { userId: 'u-c', eventId, ticketTier: 'VIP' }),
    );

    const registrations = await eventually(
      async () => {
        const rows = await query<{ ticket_tier: string }>('select ticket_tier from platform_registrations where event_id = ?', [eventId]);
        return rows.length > 0 ? rows : null;
      },
      60_000,
      'the registration to arrive',
    );
    expect(registrations).toEqual([{ ticket_tier: 'VIP' }]);
    const [event] = await query<Record<string, unknown>>('select * from platform_events where id = ?', [eventId]);
    expect(event).toMatchObject({ organization_id: orgId, owner_id: 'u-a', is_public: false, currency: 'GBP' });
    const sessions = await query<{ capacity: number }>('select capacity from platform_sessions where event_id = ?', [eventId]);
    expect(sessions).toEqual([{ capacity: 40 }]);
    // The replayed first message did not undo the later member list.
    const members = await query<{ user_id: string }>(
      'select user_id from platform_organization_members where organization_id = ? order by user_id',
      [orgId],
    );
    expect(members.map((row) => row.user_id)).toEqual(['u-a', 'u-b']);
    const [organization] = await query<{ name: string }>('select name from platform_organizations where id = ?', [orgId]);
    expect(organization.name).toBe('Org renamed');
  });

  it('cancels a registration, and skips malformed messages without stopping', async () => {
    const eventId = `ev-${randomUUID().slice(0, 8)}`;
    await send(
      eventId,
      createEnvelope('RegistrationUpserted', { userId: 'u-d', eventId, ticketTier: 'GENERAL' }),
      createEnvelope('EventUpserted', { id: eventId, currency: 'not a currency' }),
      createEnvelope('SomethingElse', { id: eventId }),
      createEnvelope('RegistrationCancelled', { userId: 'u-d', eventId }),
    );
    await producer.send({ topic: PLATFORM_TOPIC, messages: [{ key: eventId, value: 'not json' }] });
    const cancelled = await eventually(
      async () => {
        const rows = await query<{ cancelled_at: Date | null }>(
          'select cancelled_at from platform_registrations where event_id = ? and cancelled_at is not null',
          [eventId],
        );
        return rows.length > 0;
      },
      60_000,
      'the cancellation',
    );
    expect(cancelled).toBe(true);
    expect(await query('select id from platform_events where id = ?', [eventId])).toEqual([]);
  });
});
