# syntax=docker/dockerfile:1
# One image for every process type; the command picks the process:
#   node server/main.ts        web (default)
#   node media-node/main.ts    media-node
#   node workers/main.ts       BullMQ workers
#   node scripts/migrate.ts    schema migrations (run once per release, before the new web)
# It follows the tested path of scripts/up.sh: Debian 12, the system Node 20 with npm 11 only to
# install, Node 24 from the `node` npm package to run (it runs our .ts files directly), and
# mediasoup 3.8.4's worker built offline by scripts/build-mediasoup-worker.sh.
# Not built on our machines (no Docker there): keep it in step with scripts/ by reading them.

FROM node:20-bookworm-slim AS base
WORKDIR /app
# npm 11 is the one that honours package.json "allowScripts" (mediasoup's own postinstall stays off).
RUN npm install -g npm@11.19.1 && npm cache clean --force

# ── npm dependencies, with the compilers the mediasoup worker build needs ───────────────────────
FROM base AS deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends build-essential python3 \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Any MEDIASOUP_WORKER_BIN keeps mediasoup's install from downloading a worker (scripts/lib/services.sh).
RUN MEDIASOUP_WORKER_BIN=/nonexistent npm ci --no-audit --no-fund

# ── mediasoup worker (about 5 minutes; cached as long as the lockfile and the script are unchanged)
FROM deps AS mediasoup-worker
COPY scripts/build-mediasoup-worker.sh scripts/
RUN bin=$(VSTRECHA_CACHE_DIR=/opt/vstrecha-cache bash scripts/build-mediasoup-worker.sh) \
  && install -D -m 755 "$bin" /opt/mediasoup-worker

# ── app build (remix vite:build → build/), then dev dependencies dropped ────────────────────────
FROM deps AS build
# As after ensure_node_modules: `node` is the project's Node 24.
ENV PATH=/app/node_modules/.bin:$PATH
COPY . .
RUN npx remix vite:build && npm prune --omit=dev --no-audit --no-fund

# ── runtime ─────────────────────────────────────────────────────────────────────────────────────
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
  PATH=/app/node_modules/.bin:$PATH \
  MEDIASOUP_WORKER_BIN=/usr/local/bin/mediasoup-worker
COPY --from=mediasoup-worker /opt/mediasoup-worker /usr/local/bin/mediasoup-worker
# Sources stay: web, media-node and workers run their .ts files; web serves build/.
COPY --from=build --chown=node:node /app /app
# Attachments on local storage (compose mounts a volume here; a new volume takes this owner).
RUN mkdir -p /var/lib/vstrecha/attachments && chown -R node:node /var/lib/vstrecha
USER node
# web's HTTP(S) port; media-node uses MEDIA_HTTP_PORT (4443) and UDP/TCP MEDIA_RTC_MIN_PORT..MAX_PORT.
EXPOSE 3000
# Each process stops gracefully on SIGTERM (docker stop) within 10 s.
CMD ["node", "server/main.ts"]
