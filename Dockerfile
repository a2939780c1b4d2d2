# One image for the api, the worker and the one-shot migrate job; the default command runs the api, and
# docker-compose.yml (or the orchestrator) overrides it with
#   node dist/worker/worker-main.js      the worker (health on WORKER_HEALTH_PORT, 3001)
#   node dist/src/db/migrate-main.js     the migrations, then exit

# Build: all dependencies (TypeScript, tsx, webpack through @temporalio/worker) to compile dist/ and the
# prebuilt workflow bundle; none of this stage but dist/ reaches the image.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# patches/: fixes to dependencies that npm ci applies (postinstall: patch-package), so they ship in both stages.
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime: production dependencies and the compiled JavaScript only, run by plain node (no tsx).
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# Owned by root and only read at run time: the unprivileged user below cannot change the code it runs.
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000 3001
CMD ["node", "dist/src/api/api-main.js"]
