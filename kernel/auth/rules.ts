import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { rule } from 'graphql-shield';
import { forbidden, isDependencyOutage, notFound, serviceDegraded, unauthenticated } from '../errors';
import { rateLimited, type LimitedAction } from '../rate-limit';
import type { SubgraphContext } from '../subgraph/context';

/** Any subgraph's context: rules take the subgraph's own context type, so they need no casts. */
type AnyContext = SubgraphContext<any, any, any>;

type EventIdOf<TParent, TArgs, TContext extends AnyContext> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
) => string | null | undefined | Promise<string | null | undefined>;

type RuleResult = boolean | GraphQLError;

/**
 * A shield rule that is never cached and never fails silently: graphql-shield turns an exception
 * thrown inside a rule into its fallback error (FORBIDDEN), which would tell a caller "not allowed"
 * when the truth is "the database is away". Outages answer SERVICE_DEGRADED; other failures are
 * logged and answer a masked internal error.
 */
export function checkedRule<TParent = any, TArgs = any, TContext extends AnyContext = AnyContext>(
  check: (parent: TParent, args: TArgs, context: TContext, info: GraphQLResolveInfo) => Promise<RuleResult> | RuleResult,
) {
  const failed = (error: unknown, context: TContext): GraphQLError => {
    if (isDependencyOutage(error)) {
      context.logger?.warn({ err: error }, 'access check failed: a dependency is unavailable');
      return serviceDegraded('The service is temporarily unavailable; try again shortly.');
    }
    context.logger?.error({ err: error }, 'access check failed');
    return new GraphQLError('Internal server error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  };
  // A check that can answer at once (from answers this request already has) is answered at once:
  // the guard (kernel/subgraph/guard.ts) then resolves the field without a promise.
  return rule({ cache: 'no_cache' })((parent: TParent, args: TArgs, context: TContext, info: GraphQLResolveInfo) => {
    try {
      const result = check(parent, args, context, info);
      return result instanceof Promise ? result.catch((error: unknown) => failed(error, context)) : result;
    } catch (error) {
      return failed(error, context);
    }
  });
}

/** Whether the caller may access the event and organizes it, when this request already knows both; else undefined. */
function knownOrganizer(context: AnyContext, eventId: unknown): boolean | undefined {
  if (typeof eventId !== 'string') return undefined;
  const access = context.access.knownAccess(eventId);
  if (access === false) return false;
  const organizer = context.access.knownOrganizer(eventId);
  return access === true && organizer !== undefined ? organizer : undefined;
}

/** The caller is signed in. */
export const isAuthenticated = rule({ cache: 'contextual' })((_parent, _args, context: AnyContext) =>
  context.identity ? true : unauthenticated(),
);

/**
 * The caller can access the event the field belongs to (public, registered, or organizer).
 * Denied as NOT_FOUND by default, so that guessing an id reveals nothing. Not cached by shield:
 * the answer depends on the parent and arguments, and the per-request loaders already dedupe.
 */
export function canAccessEventOf<TParent = any, TArgs = any, TContext extends AnyContext = AnyContext>(
  eventIdOf: EventIdOf<TParent, TArgs, TContext>,
  denial: { as: 'NOT_FOUND' | 'FORBIDDEN'; what?: string } = { as: 'NOT_FOUND' },
) {
  const decide = async (context: TContext, eventIdAsked: ReturnType<typeof eventIdOf>): Promise<RuleResult> => {
    const eventId = await eventIdAsked;
    if (eventId && (await context.access.canAccessEvent(eventId))) return true;
    return denial.as === 'NOT_FOUND' ? notFound(denial.what ?? 'The event') : forbidden();
  };
  return checkedRule<TParent, TArgs, TContext>((parent, args, context) => {
    const eventId = eventIdOf(parent, args, context);
    if (typeof eventId === 'string' && context.access.knownAccess(eventId) === true) return true;
    return decide(context, eventId);
  });
}

/**
 * The caller owns the event or is a member of its organization. Others who can see the event get
 * FORBIDDEN, or NOT_FOUND (like a wrong id) when `knownToCaller` says the object addressed is not
 * theirs to know of: a draft offer, someone else's entry or purchase (issue 23).
 */
export function isOrganizerOf<TParent = any, TArgs = any, TContext extends AnyContext = AnyContext>(
  eventIdOf: EventIdOf<TParent, TArgs, TContext>,
  denial: {
    what?: string;
    knownToCaller?: (parent: TParent, args: TArgs, context: TContext) => boolean | Promise<boolean>;
  } = {},
) {
  const decide = async (parent: TParent, args: TArgs, context: TContext, eventIdAsked: ReturnType<typeof eventIdOf>): Promise<RuleResult> => {
    const eventId = await eventIdAsked;
    if (!eventId || !(await context.access.canAccessEvent(eventId))) return notFound(denial.what ?? 'The event');
    if (await context.access.isEventOrganizer(eventId)) return true;
    if (denial.knownToCaller && !(await denial.knownToCaller(parent, args, context))) return notFound(denial.what ?? 'The event');
    return forbidden('Only the event owner or a member of its organization may do this.');
  };
  return checkedRule<TParent, TArgs, TContext>((parent, args, context) => {
    if (!context.identity) return unauthenticated();
    const eventId = eventIdOf(parent, args, context);
    if (knownOrganizer(context, eventId) === true) return true;
    return decide(parent, args, context, eventId);
  });
}

/**
 * Whose budget a call spends: the signed-in user's, else the anonymous caller's address's (one
 * anonymous client must not exhaust the budget of every other anonymous viewer).
 */
export function budgetSubject(context: Pick<SubgraphContext, 'identity' | 'clientAddress'>): string {
  if (context.identity) return context.identity.userId;
  return `anonymous:${context.clientAddress ?? 'unknown'}`;
}

/**
 * At most the configured number of calls of `action` per caller per window (signed-in user, else
 * the anonymous caller's address), checked atomically in Redis before the resolver runs. Compose with
 * `chain(...)` after the access rule: shield's `and` runs its rules in parallel, so a refused caller
 * would spend budget.
 */
export function withinRateLimit(action: LimitedAction) {
  return checkedRule(async (_parent, _args, context) => {
    const verdict = await context.rateLimiter.checkAction(action, budgetSubject(context));
    return verdict.allowed ? true : rateLimited(verdict.retryAfterMs);
  });
}
