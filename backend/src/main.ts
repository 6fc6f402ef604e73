import 'reflect-metadata';
import { join } from 'node:path';
import { ConfigError, type KairosConfig, loadConfig } from './config/config';
import { startEmbeddedPostgres } from './database/embedded-postgres';
import { openEventStore } from './event-store/event-store.factory';
import { createHttpApp } from './http-app';
import { chooseLogFormat, type LogFormat, PinoLogger } from './logging/pino-logger';
import { limitHeapGrowth } from './runtime/heap-growth';
import { Shutdown } from './runtime/shutdown';

/**
 * Starts Kairos. With no DATABASE_URL it runs on an embedded PostgreSQL kept under KAIROS_DATA_DIR, so
 * `npm start` needs no setup. Ctrl-C (SIGINT), SIGTERM or the launcher's death drains the app, then stops
 * that PostgreSQL, within KAIROS_DRAIN_TIMEOUT_MS (runtime/shutdown.ts).
 */
async function main(): Promise<void> {
  limitHeapGrowth();
  let config: KairosConfig;
  let logFormat: LogFormat;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
    logFormat = chooseLogFormat({ isTTY: process.stdout.isTTY, env: process.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`kairos: configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  // Listening from the start: a launcher that dies while this process starts must not leave it behind.
  const shutdown = new Shutdown({ drainTimeoutMs: config.drainTimeoutMs });
  shutdown.listen();

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dataDir = join(config.dataDir, 'postgres');
    console.log(`kairos: starting embedded PostgreSQL, data kept in ${dataDir}`);
    const postgres = await startEmbeddedPostgres({
      dataDir,
      port: config.embeddedPostgresPort,
      persistent: true,
    });
    // Stopped last: draining still writes outcomes to it. Cut short, it gets a fast shutdown of its own.
    shutdown.add({
      name: 'stopping the embedded PostgreSQL',
      stop: () => postgres.stop(),
      abandon: () => {
        if (postgres.pid) process.kill(postgres.pid, 'SIGINT');
      },
    });
    databaseUrl = postgres.url;
  }

  const eventStore = await openEventStore({ eventStoreUrl: config.eventStoreUrl, databaseUrl });
  const logger = new PinoLogger(config.logLevel, { roles: config.roles.join(',') }, { format: logFormat });
  const app = await createHttpApp({ config: { ...config, databaseUrl }, eventStore }, { logger });
  shutdown.add({
    name: 'closing the app (workers finishing executions, projector, connections)',
    stop: () => app.close(),
  });
  await app.listen(config.port, config.host);
  console.log(
    `kairos: ${config.roles.join(', ')} ready at http://${config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port} (pid ${process.pid})`,
  );
}

main().catch((error: unknown) => {
  console.error('kairos: failed to start:', error);
  process.exit(1);
});
