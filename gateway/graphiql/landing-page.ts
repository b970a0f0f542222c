import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { signDemoToken } from '../../kernel/auth/demo-token';
import type { Config } from '../../kernel/config';
import type { Logger } from '../../kernel/logger';
import type { TrustedDocumentManifest } from '../trusted-documents';
import { exampleTabs } from './examples';
import { renderGraphiqlPage } from './page';

/** The demo user whose token the page prefills: the organizer of both demo events. */
const DEMO_USER = 'u-owner';
/** GraphiQL's page in the dashboard's build; its scripts are the dashboard's `/assets/` files. */
export const GRAPHIQL_PAGE = 'graphiql.html';

/**
 * The development IDE on `GET <endpoint>` for browsers (Accept: text/html): GraphiQL bundled from npm
 * with the dashboard (no CDN), or undefined when the build has no GraphiQL page (then the landing
 * page stays off rather than falling back to Apollo's, which loads from a CDN). The header editor
 * holds a fresh token of the demo organizer when tokens are signed with the public development
 * secret; with a real secret it is left empty.
 */
export function graphiqlLandingPage(options: {
  config: Config;
  logger: Logger;
  endpoint: string;
  operations: TrustedDocumentManifest;
}): ApolloServerPlugin | undefined {
  const page = path.resolve(options.config.gateway.dashboardDir, GRAPHIQL_PAGE);
  if (!existsSync(page)) {
    options.logger.warn({ page }, 'GraphiQL is not built (npm run web:build); no IDE on GET /graphql');
    return undefined;
  }
  const { auth } = options.config;
  const tabs = exampleTabs(options.operations);
  const html = async () => {
    const token = auth.developmentSecret ? await signDemoToken(DEMO_USER, auth.jwtSecret, '12h') : undefined;
    const headers = token ? JSON.stringify({ authorization: `Bearer ${token}` }, null, 2) : '{}';
    return renderGraphiqlPage(await readFile(page, 'utf8'), { endpoint: options.endpoint, headers, tabs });
  };
  return { serverWillStart: async () => ({ renderLandingPage: async () => ({ html }) }) };
}
