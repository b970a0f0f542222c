import type { RequestHandler } from 'express';
import { getOperationAST, parse } from 'graphql';

const MESSAGE = 'Subscriptions are served over graphql-ws (graphql-transport-ws) on this path.';

/**
 * Refuses subscriptions sent over HTTP before Apollo Server validates them: graphql-js's
 * validation throws on `@include(if: $variable)` at a subscription's root, which Apollo answered
 * with a 500 (issue 23). Only documents that mention `subscription` are parsed here.
 */
export const refuseHttpSubscriptions: RequestHandler = (req, res, next) => {
  const source = req.method === 'GET' ? req.query : req.body;
  const query = (source as { query?: unknown } | undefined)?.query;
  if (typeof query !== 'string' || !query.includes('subscription')) return next();
  const operationName = (source as { operationName?: unknown }).operationName;
  let isSubscription = false;
  try {
    isSubscription = getOperationAST(parse(query, { maxTokens: 3000 }), typeof operationName === 'string' ? operationName : undefined)?.operation === 'subscription';
  } catch {
    // Apollo Server answers a syntax error itself.
  }
  if (!isSubscription) return next();
  res.status(400).json({ errors: [{ message: MESSAGE, extensions: { code: 'BAD_REQUEST' } }] });
};
