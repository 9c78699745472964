# Node runs the TypeScript sources directly (type stripping), so there is no build stage:
# the first stage installs production dependencies only, the second runs as the unprivileged user.
FROM node:24-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci runs the preinstall Node check (scripts/check-node.cjs).
COPY scripts/check-node.cjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-slim
# HOST=0.0.0.0 makes the port reachable from outside the container; the playground then needs
# PLAYGROUND_TOKEN (with no chat platform configured and no token, the bot stops and says so).
# The MALLOC_* settings make glibc hand freed native memory (large buffers, per-thread arenas)
# back to the system instead of keeping it after a burst; the benchmark runs the bot with the
# same ones.
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000 \
    HOST=0.0.0.0 \
    MALLOC_ARENA_MAX=2 \
    MALLOC_TRIM_THRESHOLD_=131072 \
    MALLOC_MMAP_THRESHOLD_=131072
# ffmpeg (with ffprobe) makes posters, fits videos over a chat's upload limit and renders the
# simulator's clips; without it those say so and everything else works.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY scripts ./scripts
COPY src ./src
COPY adapters ./adapters
COPY commands ./commands
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# The bot handles SIGTERM itself (PID 1): it stops taking requests, finishes in-flight work and exits.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# --expose-gc lets the bot give a burst's memory back once it is quiet (src/util/heap-trim.ts).
CMD ["node", "--expose-gc", "src/main.ts"]
