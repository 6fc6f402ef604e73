import 'reflect-metadata';
import { join } from 'node:path';
import { ConfigError, type KairosConfig, loadConfig } from './config/config';
import { type RunningPostgres, startEmbeddedPostgres } from './database/embedded-postgres';
import { openEventStore } from './event-store/event-store.factory';
import { createHttpApp } from './http-app';
import { PinoLogger } from './logging/pino-logger';

/**
 * Starts Kairos. With no DATABASE_URL it runs on an embedded PostgreSQL kept under KAIROS_DATA_DIR, so
 * `npm start` needs no setup. Ctrl-C (SIGINT) or SIGTERM drains the app, then stops that PostgreSQL.
 */
async function main(): Promise<void> {
  let config: KairosConfig;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`kairos: configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }

  let embedded: RunningPostgres | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dataDir = join(config.dataDir, 'postgres');
    console.log(`kairos: starting embedded PostgreSQL, data kept in ${dataDir}`);
    embedded = await startEmbeddedPostgres({ dataDir, port: config.embeddedPostgresPort, persistent: true });
    databaseUrl = embedded.url;
  }

  const eventStore = await openEventStore({ eventStoreUrl: config.eventStoreUrl, databaseUrl });
  const logger = new PinoLogger(config.logLevel, { roles: config.roles.join(',') });
  const app = await createHttpApp({ config: { ...config, databaseUrl }, eventStore }, { logger });
  await app.listen(config.port, config.host);
  console.log(
    `kairos: ${config.roles.join(', ')} ready at http://${config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`,
  );

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`kairos: ${signal} received, draining`);
    try {
      await app.close(); // workers hand their buckets over and finish running executions
    } finally {
      await embedded?.stop(); // only now: draining still writes outcomes to it
    }
    process.exit(0);
  };
  // embedded-postgres installs its own signal handlers that stop PostgreSQL at once and exit; ours
  // drain first and stop PostgreSQL after, so they replace its handlers.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('kairos: failed to start:', error);
  process.exit(1);
});
