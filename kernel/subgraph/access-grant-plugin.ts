import type { ApolloServerPlugin } from '@apollo/server';
import { ACCESS_GRANT_EXTENSION, signAccessGrant } from '../platform/access-grant';
import type { SubgraphContext } from './context';

/**
 * Answers a signed-in caller's request with a grant of the access facts it read (response
 * extension `eventAccess`), which the gateway hands to the request's later subgraph fetches.
 */
export function accessGrantPlugin(subgraphSecret: string): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single' || !contextValue.identity) return;
          const facts = contextValue.access.facts();
          if (facts.length === 0) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [ACCESS_GRANT_EXTENSION]: signAccessGrant(subgraphSecret, contextValue.identity.userId, facts) };
        },
      };
    },
  };
}
