# One image for every process of the monetization supergraph. The command picks
# the process (see docker-compose.yml):
#   node dist/gateway/main.js                 gateway and the organizer dashboard at / (default)
#   node dist/subgraphs/main.js <name>        one subgraph: offers | ads | waitlist | analytics
#   node dist/migrate.js        apply database migrations, then exit

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: all dependencies, TypeScript compiled to dist/ -------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# npm ci applies patches/ to node_modules (postinstall: patch-package).
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
# tsc -p tsconfig.build.json -> dist/ (migrations under migrations/ are compiled too).
# The mkdir keeps the runtime COPYs below valid even if a folder is still empty.
RUN npm run build \
 && npm run web:build \
 && mkdir -p schema migrations

# --- runtime: production dependencies and compiled output only ---------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
# The gateway reads schema/supergraph.graphql at run time.
COPY --from=build /app/schema ./schema
COPY --from=build /app/migrations ./migrations
# The organizer dashboard the gateway serves at / (DASHBOARD_DIR).
COPY --from=build /app/web/dist ./web/dist
# The files stay owned by root (read-only for the app); the processes run unprivileged.
USER node
EXPOSE 4000 4001 4002 4003 4004
CMD ["node", "dist/gateway/main.js"]
