# Kairos server image: one image for every role (`--role api|projector|worker`, see docker-compose.yml).

# --- build: install everything, compile the server and the GUI, then keep production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm install --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 # workspace links point into the source tree, which the runtime image does not have
 && rm -rf node_modules/@kairos

# --- runtime: the compiled server (dist/server), the GUI (dist/frontend), production node_modules.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/server/backend/src/main.js"]
CMD ["--role", "api,projector,worker"]
