import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, subscribe, validate, type ExecutionResult } from 'graphql';
import { SubscriptionPlanner, type SubscriptionPlan } from '../../gateway/subscriptions/planner';
import { readSupergraph } from '../../gateway/supergraph';
import { buildGuardedSchema } from '../../kernel/subgraph/server';
import type { SubgraphDefinition } from '../../kernel/subgraph/definition';
import { analyticsSubgraph } from '../../subgraphs/analytics';
import { offersSubgraph } from '../../subgraphs/offers';
import { waitlistSubgraph } from '../../subgraphs/waitlist';
import { MONETIZATION_ACTIVITY, OFFER_INVENTORY, WAITLIST_UPDATES } from '../support/live';

const CONTRACT = [
  path.resolve(__dirname, '../../../shared/contract/operations/subscriptions.graphql'),
  path.resolve(__dirname, '../../../../shared/contract/operations/subscriptions.graphql'),
].find((file) => existsSync(file));

describe('the subscription operations against the composed supergraph', () => {
  let planner: SubscriptionPlanner;
  beforeAll(async () => {
    planner = new SubscriptionPlanner(await readSupergraph());
  });

  const documents = () => [
    ...(CONTRACT ? [readFileSync(CONTRACT, 'utf8')] : []),
    WAITLIST_UPDATES,
    OFFER_INVENTORY,
    MONETIZATION_ACTIVITY,
  ];

  it("validates the contract's subscriptions and the tests' copies of them", () => {
    for (const source of documents()) expect(validate(planner.schema, parse(source))).toEqual([]);
  });

  it('plans each as a subscription on the subgraph owning its root field', () => {
    const plans: Record<string, SubscriptionPlan> = Object.fromEntries(
      [WAITLIST_UPDATES, OFFER_INVENTORY, MONETIZATION_ACTIVITY].map((source) => {
        const plan = planner.plan(parse(source), source);
        return [plan.primary.operationName, plan];
      }),
    );
    expect(Object.values(plans).map((plan) => [plan.primary.serviceName, plan.primary.operationKind])).toEqual([
      ['waitlist', 'subscription'],
      ['offers', 'subscription'],
      ['analytics', 'subscription'],
    ]);
    expect(plans.WaitlistUpdates__waitlist__0.perEvent.node?.kind).toBe('Fetch');
    // The offer's title is owned by the offers subgraph: an entity fetch after each event.
    const activity = plans.MonetizationActivity__analytics__0.perEvent.node as any;
    expect(activity.kind).toBe('Sequence');
    expect(JSON.stringify(activity.nodes[1])).toContain('"serviceName":"offers"');
    expect(JSON.stringify(activity.nodes[1])).toContain('_entities');
  });
});

/**
 * Shield wraps each subscription field's `resolve`, which runs per event once the stream exists;
 * refusing must happen in `subscribe` itself. These run the subgraph schemas with and without
 * shield and a caller who may read the event but does not organize it.
 */
describe('the subscribe step of each subscription', () => {
  const attendee = {
    identity: { userId: 'u-guest' },
    fromGateway: true,
    loaders: {},
    access: {
      sessions: { load: async (id: string) => ({ id, eventId: 'ev-1', title: 'S', capacity: 5, startsAt: new Date() }) },
      events: { load: async (id: string) => ({ id }) },
      canAccessEvent: async () => true,
      isEventOrganizer: async () => false,
      // Nothing asked yet in this request: the rules ask.
      knownAccess: () => undefined,
      knownOrganizer: () => undefined,
    },
  };
  const anonymousOfPrivateEvent = { ...attendee, identity: null, access: { ...attendee.access, canAccessEvent: async () => false } };

  const cases: [string, SubgraphDefinition<any>, string, Record<string, unknown>, object, string][] = [
    ['waitlistUpdated', waitlistSubgraph, 'subscription($s: ID!) { waitlistUpdated(sessionId: $s) { joined } }', { s: 's-1' }, attendee, 'FORBIDDEN'],
    ['monetizationActivity', analyticsSubgraph, 'subscription($e: ID!) { monetizationActivity(eventId: $e) { kind } }', { e: 'ev-1' }, attendee, 'FORBIDDEN'],
    ['offerInventoryChanged', offersSubgraph, 'subscription($e: ID!) { offerInventoryChanged(eventId: $e) { offer { id } } }', { e: 'ev-1' }, anonymousOfPrivateEvent, 'NOT_FOUND'],
  ];

  it.each(cases)('refuses %s before any stream exists, with and without shield', async (_name, definition, query, variableValues, contextValue, code) => {
    const bare = buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers: definition.resolvers as never }]);
    for (const schema of [bare, buildGuardedSchema(definition)]) {
      const result = (await subscribe({ schema, document: parse(query), variableValues, contextValue: { ...contextValue } })) as ExecutionResult;
      expect(Symbol.asyncIterator in result).toBe(false);
      expect(result.errors?.map((error) => error.extensions.code)).toEqual([code]);
    }
  });
});
