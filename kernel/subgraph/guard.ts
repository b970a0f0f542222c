import { isIntrospectionType, isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { applyMiddleware, type IMiddlewareFunction } from 'graphql-middleware';
import { allow, shield, type IRules } from 'graphql-shield';

/** A graphql-shield rule or logic rule (`and`, `chain`, `allow`, ...), as shield calls it. */
interface ShieldRule {
  resolve(parent: unknown, args: unknown, context: unknown, info: GraphQLResolveInfo, options: ShieldOptions): Promise<boolean | Error>;
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

type Path = GraphQLResolveInfo['path'];
type Verdict = Promise<boolean | Error>;

/**
 * Verdicts of object-level rules, per object in a response: `info.path.prev` is the position of the
 * field's parent object, one Path object shared by all of that object's fields and unique to one
 * request, so the entries go away with the request.
 */
const verdictsByObject = new WeakMap<Path, Map<ShieldRule, Verdict>>();

const isRule = (value: unknown): value is ShieldRule => typeof (value as { resolve?: unknown } | undefined)?.resolve === 'function';

/**
 * graphql-shield on `schema`, deny by default, with the middleware only where it does something:
 *
 * - the rule tree is graphql-shield's (validated by `shield`, which throws on a type or field the
 *   schema lacks) and a field's rule is chosen as shield chooses it: the field's own, else the type's
 *   `'*'`, else the type's single rule, else `fallbackRule`;
 * - a field whose rule is `allow` keeps its resolver unwrapped (shield wrapped every field of the
 *   schema in an async middleware, which made every scalar of every object a promise);
 * - a type-level rule (`Type: rule` or `'*'`) is about the object, so on fields without arguments it
 *   runs once per object in the response (its fields share the verdict) instead of once per field.
 */
export function guardSchema(schema: GraphQLSchema, rules: IRules, options: GuardOptions): GraphQLSchema {
  const shieldOptions: ShieldOptions = { ...options, debug: false };
  shield(rules, shieldOptions).generate(schema);
  const fallbackRule = options.fallbackRule as unknown as ShieldRule;
  const middleware: Record<string, Record<string, IMiddlewareFunction>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    const typeRules = (rules as Record<string, unknown>)[type.name];
    for (const field of Object.values(type.getFields())) {
      let rule: ShieldRule;
      let typeLevel: boolean;
      if (isRule(typeRules)) {
        [rule, typeLevel] = [typeRules, true];
      } else if (typeRules && typeof typeRules === 'object') {
        const fieldRules = typeRules as Record<string, ShieldRule | undefined>;
        const own = fieldRules[field.name];
        [rule, typeLevel] = own ? [own, false] : fieldRules['*'] ? [fieldRules['*'], true] : [fallbackRule, false];
      } else {
        [rule, typeLevel] = [fallbackRule, false];
      }
      if (rule === (allow as unknown)) continue;
      (middleware[type.name] ??= {})[field.name] = guardField(rule, typeLevel && field.args.length === 0, shieldOptions);
    }
  }
  return applyMiddleware(schema, middleware);
}

/** What shield's own field middleware does with a verdict, without `async` around the resolver. */
function guardField(rule: ShieldRule, oncePerObject: boolean, options: ShieldOptions): IMiddlewareFunction {
  const fallbackError = options.fallbackError;
  const refused = (error: unknown) => (options.allowExternalErrors ? error : fallbackError);
  return (resolve: GraphQLFieldResolver<unknown, Record<string, unknown>>, parent, args, givenContext, info) => {
    const context = (givenContext ?? {}) as { _shield?: { cache: Record<string, unknown> } };
    // Rules cached 'contextual' or 'strict' keep their answers where shield keeps them.
    context._shield ??= { cache: {} };
    const verdict = oncePerObject && info.path.prev ? verdictOnce(rule, info.path.prev, () => rule.resolve(parent, args, context, info, options)) : rule.resolve(parent, args, context, info, options);
    return verdict.then((result) => {
      if (result === true) {
        try {
          const value = resolve(parent, args, context, info);
          return value instanceof Promise ? value.catch(refused) : value;
        } catch (error) {
          return refused(error);
        }
      }
      return result === false ? fallbackError : result;
    }, refused);
  };
}

function verdictOnce(rule: ShieldRule, object: Path, run: () => Verdict): Verdict {
  let verdicts = verdictsByObject.get(object);
  if (!verdicts) verdictsByObject.set(object, (verdicts = new Map()));
  let verdict = verdicts.get(rule);
  if (!verdict) verdicts.set(rule, (verdict = run()));
  return verdict;
}
