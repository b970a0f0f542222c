import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import { GRAPHIQL_PAGE } from './graphiql/landing-page';

/** Paths the dashboard never answers: the API and the operational endpoints keep their own 404s. */
const NOT_DASHBOARD = /^\/(graphql|health|webhooks|dev|metrics)(\/|$)/;

/**
 * Serves the built organizer dashboard at `/`: its hashed assets with long caching, and
 * `index.html` (never cached) for any other page path so client-side routes survive a reload.
 * When the dashboard is not built, `/` says how to build it.
 */
export function dashboardRouter(dir: string): Router {
  const root = path.resolve(dir);
  const index = path.join(root, 'index.html');
  const router = express.Router();
  // GraphiQL's page is the gateway's to serve (GET /graphql, development only, settings written in).
  router.get(`/${GRAPHIQL_PAGE}`, (_req, res) => {
    res.status(404).end();
  });
  router.use('/assets', express.static(path.join(root, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }));
  router.use(express.static(root, { index: false }));
  router.get(/.*/, (req, res, next) => {
    // Only a browser's navigation (it asks for text/html by name) gets the page; `*/*` clients get 404s.
    if (NOT_DASHBOARD.test(req.path) || !req.get('accept')?.includes('text/html')) {
      next();
      return;
    }
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send(`The dashboard is not built: run \`npm run web:build\` (looked in ${root}).`);
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
