import type { RequestHandler } from 'express';
import { getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { refuseConditionalSubscriptionRoot } from './rules/subscription-root-directives';

/**
 * Refuses, before Apollo Server validates it, a subscription sent over HTTP whose root field is
 * under `@skip`/`@include`: graphql-js's validation throws on `@include(if: $variable)` there,
 * which Apollo answered with a 500 (issue 23). Other subscriptions go on to Apollo's validation
 * and are refused there as not served over HTTP. Only documents that mention `subscription` are
 * parsed here.
 */
export function refuseConditionalHttpSubscriptions(schema: GraphQLSchema): RequestHandler {
  return (req, res, next) => {
    const source = (req.method === 'GET' ? req.query : req.body) as { query?: unknown; operationName?: unknown } | undefined;
    const query = source?.query;
    if (typeof query !== 'string' || !query.includes('subscription')) return next();
    let errors: readonly { message: string }[] = [];
    try {
      const document = parse(query, { maxTokens: 3000 });
      const operationName = typeof source?.operationName === 'string' ? source.operationName : undefined;
      if (getOperationAST(document, operationName)?.operation === 'subscription') errors = refuseConditionalSubscriptionRoot(schema, document);
    } catch {
      // Apollo Server answers a syntax error itself.
    }
    if (errors.length === 0) return next();
    res.status(400).json({ errors: errors.map((error) => ({ message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) });
  };
}
