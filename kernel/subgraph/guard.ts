import { defaultFieldResolver, isIntrospectionType, isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { allow, shield, type IRules } from 'graphql-shield';

type Verdict = boolean | Error;
type Pending = Verdict | Promise<Verdict>;

/** A graphql-shield rule or logic rule (`and`, `chain`, `allow`, ...), as shield calls it. */
interface ShieldRule {
  resolve(parent: unknown, args: unknown, context: unknown, info: GraphQLResolveInfo, options: ShieldOptions): Promise<Verdict>;
}
/** A plain `rule({ cache: 'no_cache' })(fn)`: its function, which may answer without a promise. */
interface PlainRule extends ShieldRule {
  cache: unknown;
  func(parent: unknown, args: unknown, context: unknown, info: GraphQLResolveInfo): unknown;
}
/** The options shield hands to its rules (its `IOptions`, not exported by graphql-shield). */
interface ShieldOptions extends GuardOptions {
  debug: boolean;
}

export interface GuardOptions {
  fallbackRule: NonNullable<NonNullable<Parameters<typeof shield>[1]>['fallbackRule']>;
  fallbackError: Error;
  /** Errors thrown by resolvers reach the client as they are (else they become `fallbackError`). */
  allowExternalErrors: boolean;
}

/**
 * Verdicts per execution and per object the fields resolve on. An execution is known by its
 * coerced variables (`info.variableValues`), one object per execution in graphql-js and in
 * graphql-jit, shared by all its fields: so a verdict is never reused by another request, nor by a
 * later event of the same subscription (each event is an execution of its own), even for an object
 * both hold; the entries go away with the execution.
 */
const verdictsByExecution = new WeakMap<object, WeakMap<object, Map<ShieldRule, Pending>>>();

const isRule = (value: unknown): value is ShieldRule => typeof (value as { resolve?: unknown } | undefined)?.resolve === 'function';
const isPlainRule = (rule: ShieldRule): rule is PlainRule =>
  rule.constructor.name === 'Rule' && (rule as PlainRule).cache === 'no_cache' && typeof (rule as PlainRule).func === 'function';

/**
 * graphql-shield on `schema`, deny by default, its resolvers wrapped in place and only where a rule
 * does something (graphql-middleware's wrapper made a closure on every call of every guarded field):
 *
 * - the rule tree is graphql-shield's (validated by `shield`, which throws on a type or field the
 *   schema lacks) and a field's rule is chosen as shield chooses it: the field's own, else the type's
 *   `'*'`, else the type's single rule, else `fallbackRule`;
 * - a field whose rule is `allow` keeps its resolver unwrapped (shield wrapped every field of the
 *   schema in an async middleware, which made every scalar of every object a promise);
 * - rules are about objects: on the fields without arguments of an object (not Query, Mutation or
 *   Subscription), a rule runs once per object in the response and its fields share the verdict, so
 *   a rule must not depend on which of the object's fields is asked (`info.fieldName`);
 * - a plain rule (`rule({ cache: 'no_cache' })`) that answers without a promise lets the field
 *   resolve without one (shield awaited every verdict and every resolver).
 */
export function guardSchema(schema: GraphQLSchema, rules: IRules, options: GuardOptions): GraphQLSchema {
  const shieldOptions: ShieldOptions = { ...options, debug: false };
  shield(rules, shieldOptions).generate(schema);
  const fallbackRule = options.fallbackRule as unknown as ShieldRule;
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    const typeRules = (rules as Record<string, unknown>)[type.name];
    for (const field of Object.values(type.getFields())) {
      let rule: ShieldRule;
      if (isRule(typeRules)) rule = typeRules;
      else if (typeRules && typeof typeRules === 'object') {
        const fieldRules = typeRules as Record<string, ShieldRule | undefined>;
        rule = fieldRules[field.name] ?? fieldRules['*'] ?? fallbackRule;
      } else rule = fallbackRule;
      if (rule === (allow as unknown)) continue;
      const oncePerObject = !roots.has(type) && field.args.length === 0;
      // What graphql-middleware guards, in its order: the field's own resolver, else its subscribe,
      // else the default resolver.
      if (field.resolve && field.resolve !== defaultFieldResolver) field.resolve = guardField(rule, field.resolve, oncePerObject, shieldOptions);
      else if (field.subscribe) field.subscribe = guardField(rule, field.subscribe, oncePerObject, shieldOptions);
      else field.resolve = guardField(rule, defaultFieldResolver, oncePerObject, shieldOptions);
    }
  }
  return schema;
}

type Resolver = GraphQLFieldResolver<unknown, unknown, Record<string, unknown>>;

/** What shield's own field middleware does with a verdict, without a promise where none is needed. */
function guardField(rule: ShieldRule, resolve: Resolver, oncePerObject: boolean, options: ShieldOptions): Resolver {
  return (parent, args, givenContext, info) => {
    const context = (givenContext ?? {}) as { _shield?: { cache: Record<string, unknown> } };
    // Rules cached 'contextual' or 'strict' keep their answers where shield keeps them.
    context._shield ??= { cache: {} };
    const verdict =
      oncePerObject && typeof parent === 'object' && parent !== null && typeof info.variableValues === 'object' && info.variableValues !== null
        ? verdictOnce(rule, parent, args, context, info, options)
        : evaluate(rule, parent, args, context, info, options);
    if (!(verdict instanceof Promise)) return proceed(verdict, resolve, parent, args, context, info, options);
    return verdict.then(
      (settled) => proceed(settled, resolve, parent, args, context, info, options),
      (error: unknown) => refused(error, options),
    );
  };
}

// Module-level functions rather than closures made per field: this runs for every guarded field.
function proceed(
  verdict: Verdict,
  resolve: Resolver,
  parent: unknown,
  args: Record<string, unknown>,
  context: unknown,
  info: GraphQLResolveInfo,
  options: ShieldOptions,
): unknown {
  if (verdict !== true) return verdict === false ? options.fallbackError : verdict;
  try {
    const value = resolve(parent, args, context, info);
    return value instanceof Promise ? value.catch((error: unknown) => refused(error, options)) : value;
  } catch (error) {
    return refused(error, options);
  }
}

const refused = (error: unknown, options: ShieldOptions) => (options.allowExternalErrors ? error : options.fallbackError);

/** A rule's verdict as shield's `Rule.resolve` gives it (an error string becomes an Error, anything else but true is false). */
function evaluate(rule: ShieldRule, parent: unknown, args: unknown, context: unknown, info: GraphQLResolveInfo, options: ShieldOptions): Pending {
  if (!isPlainRule(rule)) return rule.resolve(parent, args, context, info, options);
  try {
    const result = rule.func(parent, args, context, info);
    return result instanceof Promise ? result.then(verdictOf, () => false) : verdictOf(result);
  } catch {
    return false;
  }
}

const verdictOf = (result: unknown): Verdict => (result instanceof Error ? result : typeof result === 'string' ? new Error(result) : result === true);

function verdictOnce(rule: ShieldRule, parent: object, args: unknown, context: unknown, info: GraphQLResolveInfo, options: ShieldOptions): Pending {
  let byObject = verdictsByExecution.get(info.variableValues);
  if (!byObject) verdictsByExecution.set(info.variableValues, (byObject = new WeakMap()));
  let verdicts = byObject.get(parent);
  if (!verdicts) byObject.set(parent, (verdicts = new Map()));
  const known = verdicts.get(rule);
  if (known !== undefined) return known;
  const verdict = evaluate(rule, parent, args, context, info, options);
  verdicts.set(rule, verdict);
  // Once settled, the object's other fields take the verdict without waiting on it.
  if (verdict instanceof Promise) void verdict.then((settled) => verdicts.get(rule) === verdict && verdicts.set(rule, settled), () => undefined);
  return verdict;
}
