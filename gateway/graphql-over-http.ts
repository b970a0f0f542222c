import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';

const LEGACY_JSON = 'application/json';
const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/** True when the Accept header asks for `application/json` and not for the newer media type. */
function acceptsOnlyLegacyJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  return types.includes(LEGACY_JSON) && !types.includes(GRAPHQL_RESPONSE_JSON);
}

/**
 * GraphQL over HTTP: a client that accepts only `application/json` cannot tell a GraphQL error
 * from a broken proxy by status, so the spec has it answered 200 for every well-formed request,
 * errors in the body. Apollo Server answers parse, validation and variable errors (and our limits'
 * refusals) with 400 whatever the client accepts; this turns those into 200 for such clients.
 * Malformed requests (not JSON, no query, CSRF refusals) never reach the plugin and stay 4xx, and
 * clients that accept `application/graphql-response+json`, or send no Accept header, keep the 4xx.
 */
export const legacyJsonStatusPlugin: ApolloServerPlugin = {
  async requestDidStart({ request }) {
    // Without a query the request is not well-formed: it keeps its 400.
    if (typeof request.query !== 'string' || !acceptsOnlyLegacyJson(request.http?.headers.get('accept'))) return {};
    return {
      async willSendResponse({ response }) {
        const requestError = response.body.kind === 'single' && !('data' in response.body.singleResult);
        if (requestError && response.http.status === 400) response.http.status = 200;
      },
    };
  },
};

/**
 * Apollo's CSRF prevention refuses a GET that carries none of its preflight headers, since a
 * browser sends such a GET cross-site. It guards credentials a browser attaches on its own
 * (cookies). This gateway reads identity only from the Authorization header, which no cross-site
 * simple request can carry, and runs no mutation over GET; so a GET without cookies is marked as
 * preflighted and runs as the anonymous query it is. A GET with cookies, and every POST with a
 * simple content type, still meet Apollo's check unchanged.
 */
export const getWithoutAmbientCredentials: RequestHandler = (req, _res, next) => {
  if (req.method === 'GET' && req.headers.cookie === undefined && req.headers['apollo-require-preflight'] === undefined) {
    req.headers['apollo-require-preflight'] = 'get-without-cookies';
  }
  next();
};
