import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';

/**
 * The browser files GraphiQL needs, from npm (no CDN: many networks, and this project's machines,
 * reach none). GraphiQL 4 still ships a UMD build that runs without a bundler; it needs React's
 * UMD globals (React 19 no longer publishes them, so they come from `umd-react`, the same React
 * version as the dashboard's) and graphql-ws's UMD client for subscriptions.
 */
const ASSETS: Record<string, [pkg: string, file: string]> = {
  'react.js': ['umd-react', 'dist/react.production.min.js'],
  'react-dom.js': ['umd-react', 'dist/react-dom.production.min.js'],
  'graphiql.js': ['graphiql', 'graphiql.min.js'],
  'graphiql.css': ['graphiql', 'graphiql.min.css'],
  'graphql-ws.js': ['graphql-ws', 'umd/graphql-ws.min.js'],
};

function packageDirectory(pkg: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return undefined;
  }
}

/** Every asset's file on disk, or the names of those missing (a production install has none). */
export function resolveGraphiqlAssets(): { files: Record<string, string>; missing: string[] } {
  const files: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, [pkg, file]] of Object.entries(ASSETS)) {
    const directory = packageDirectory(pkg);
    const location = directory && path.join(directory, file);
    if (location && existsSync(location)) files[name] = location;
    else missing.push(`${pkg}/${file}`);
  }
  return { files, missing };
}

/** Serves exactly the resolved files, cached by the browser for a day. */
export function graphiqlAssetsRouter(files: Record<string, string>): Router {
  const router = express.Router();
  for (const [name, location] of Object.entries(files)) {
    router.get(`/${name}`, (_req, res) => {
      res.sendFile(location, { maxAge: 24 * 60 * 60 * 1000 });
    });
  }
  return router;
}
