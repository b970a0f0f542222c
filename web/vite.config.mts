import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const gateway = process.env.DASHBOARD_GATEWAY ?? 'http://127.0.0.1:4000';

/**
 * The organizer dashboard. `npm run web:build` writes web/dist, which the gateway serves at `/`;
 * `npm run web:dev` serves it with hot reload and forwards the API to a running gateway.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Two pages: the dashboard, and GraphiQL, which the gateway serves on GET /graphql in development.
    rollupOptions: {
      // graphiql's react-compiler-runtime marks itself "use no memo", which bundling may drop: harmless.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: {
        dashboard: fileURLToPath(new URL('index.html', import.meta.url)),
        graphiql: fileURLToPath(new URL('graphiql.html', import.meta.url)),
      },
    },
    // GraphiQL's editor is the largest chunk (development only); charts come next, on the revenue page alone.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/graphql': { target: gateway, ws: true },
      '/dev': gateway,
    },
  },
});
