import type { GraphQLResolveInfo } from 'graphql';
import { deny, type IRule } from 'graphql-shield';
import { forbidden } from '../errors';

type RuleOptions = Parameters<IRule['resolve']>[4];

// How shield itself runs rules (see kernel/subgraph/server.ts): errors a rule returns reach the
// client as they are; a rule that throws denies.
const SHIELD_OPTIONS: RuleOptions = {
  debug: false,
  allowExternalErrors: true,
  fallbackRule: deny,
  fallbackError: forbidden(),
  hashFunction: ({ parent, args }) => JSON.stringify({ parent, args }),
};

/**
 * Runs a subscription field's shield rule in its `subscribe` step. Shield wraps a field's
 * `resolve`, which for a subscription runs once per event, after the caller is already
 * subscribed; the decision must be taken before the stream exists. The same rule object also
 * stays in `permissions`, so both steps are guarded by one definition.
 */
export async function authorizeSubscription(
  rule: IRule,
  args: Record<string, unknown>,
  context: object,
  info: GraphQLResolveInfo,
): Promise<void> {
  const result = await rule.resolve(undefined as never, args, context as never, info, SHIELD_OPTIONS);
  if (result === true) return;
  throw result instanceof Error ? result : forbidden();
}
