import type { ApolloServerPlugin } from '@apollo/server';
import type { Router } from 'express';
import { signDemoToken } from '../../kernel/auth/demo-token';
import type { Config } from '../../kernel/config';
import type { Logger } from '../../kernel/logger';
import type { TrustedDocumentManifest } from '../trusted-documents';
import { graphiqlAssetsRouter, resolveGraphiqlAssets } from './assets';
import { exampleTabs } from './examples';
import { renderGraphiqlPage } from './page';

/** The demo user whose token the page prefills: the organizer of both demo events. */
const DEMO_USER = 'u-owner';
export const GRAPHIQL_ASSETS_PATH = '/graphiql/assets';

export interface GraphiqlLandingPage {
  /** Apollo Server's landing page: GraphiQL on `GET <endpoint>` for browsers (Accept: text/html). */
  plugin: ApolloServerPlugin;
  /** Mounted at {@link GRAPHIQL_ASSETS_PATH}. */
  assets: Router;
}

/**
 * The development IDE, or undefined when its files are not installed (a production install omits
 * dev dependencies) — then the landing page stays off rather than falling back to Apollo's, which
 * loads from a CDN. The header editor holds a fresh token of the demo organizer when tokens are
 * signed with the public development secret; with a real secret it is left empty.
 */
export function graphiqlLandingPage(options: {
  config: Config;
  logger: Logger;
  endpoint: string;
  operations: TrustedDocumentManifest;
}): GraphiqlLandingPage | undefined {
  const { files, missing } = resolveGraphiqlAssets();
  if (missing.length > 0) {
    options.logger.warn({ missing }, 'GraphiQL is not installed (dev dependencies); no IDE on GET /graphql');
    return undefined;
  }
  const { auth } = options.config;
  const tabs = exampleTabs(options.operations);
  const html = async () => {
    const token = auth.developmentSecret ? await signDemoToken(DEMO_USER, auth.jwtSecret, '12h') : undefined;
    const headers = token ? JSON.stringify({ authorization: `Bearer ${token}` }, null, 2) : '{}';
    return renderGraphiqlPage({ assetsPath: GRAPHIQL_ASSETS_PATH, endpoint: options.endpoint, headers, tabs });
  };
  return {
    plugin: { serverWillStart: async () => ({ renderLandingPage: async () => ({ html }) }) },
    assets: graphiqlAssetsRouter(files),
  };
}
