/**
 * `npm run projections:rebuild`: replays the whole event log into a fresh read model, with a progress
 * bar, and swaps it in while Kairos keeps running. Reads the same environment as Kairos (DATABASE_URL,
 * EVENTSTORE_URL, REDIS_URL); without DATABASE_URL it uses the embedded PostgreSQL (the running one if
 * Kairos is up, else it starts it for the rebuild).
 */
import { join } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { Redis } from 'ioredis';
import { Client, Pool } from 'pg';
import { ConfigError, type KairosConfig, loadConfig } from '../../config/config';
import { type RunningPostgres, startEmbeddedPostgres } from '../../database/embedded-postgres';
import { openEventStore } from '../../event-store/event-store.factory';
import { MAX_REDIS_PAYLOAD_BYTES, REDIS_CHANGE_CHANNEL, encodeChange } from '../change-feed/change-feed';
import { rebuildReadModel } from './rebuild';

async function main(): Promise<void> {
  let config: KairosConfig;
  try {
    config = loadConfig(process.env, ['--role', 'projector']);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`kairos: configuration error: ${error.message}`);
    process.exit(2);
  }
  const { databaseUrl, embedded } = await database(config);
  const store = await openEventStore({ eventStoreUrl: config.eventStoreUrl, databaseUrl });
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const bar = new SingleBar(
    {
      format:
        'rebuild |{bar}| {percentage}% | position {value}/{total} | {events} events | {rate} events/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
      // Without a terminal (logs, CI) a line every 5 s instead of a redrawn bar.
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    Presets.shades_classic,
  );
  const started = Date.now();
  bar.start(await store.headPosition(), 0, { events: 0, rate: 0 });
  try {
    const result = await rebuildReadModel({
      pool,
      store,
      onProgress: ({ position, head, events }) => {
        bar.setTotal(Math.max(head, 1));
        const rate = Math.round((events / Math.max(Date.now() - started, 1)) * 1000);
        bar.update(position, { events: events.toLocaleString('en-US'), rate: rate.toLocaleString('en-US') });
      },
      publish: redis
        ? async (change) => {
            await redis.publish(REDIS_CHANGE_CHANNEL, encodeChange(change, MAX_REDIS_PAYLOAD_BYTES));
          }
        : undefined,
      logger: { log: (m) => console.error(m), warn: (m) => console.error(m), error: (m) => console.error(m) },
    });
    bar.stop();
    console.log(
      `kairos: read model rebuilt and swapped in: ${result.events.toLocaleString('en-US')} events up to position ${result.position} in ${(result.elapsedMs / 1000).toFixed(1)} s`,
    );
  } finally {
    bar.stop();
    redis?.disconnect();
    await pool.end();
    await store.close();
    await embedded?.stop();
  }
}

/** DATABASE_URL, or the embedded PostgreSQL: the one Kairos runs if it is up, else started here. */
async function database(config: KairosConfig): Promise<{ databaseUrl: string; embedded?: RunningPostgres }> {
  if (config.databaseUrl) return { databaseUrl: config.databaseUrl };
  const url = `postgres://postgres:kairos@127.0.0.1:${config.embeddedPostgresPort}/postgres`;
  const probe = new Client({ connectionString: url });
  try {
    await probe.connect();
    await probe.end();
    return { databaseUrl: url };
  } catch {
    await probe.end().catch(() => undefined);
  }
  const dataDir = join(config.dataDir, 'postgres');
  console.error(`kairos: starting embedded PostgreSQL for the rebuild, data in ${dataDir}`);
  const embedded = await startEmbeddedPostgres({
    dataDir,
    port: config.embeddedPostgresPort,
    persistent: true,
  });
  return { databaseUrl: embedded.url, embedded };
}

main().catch((error: unknown) => {
  console.error('kairos: rebuild failed:', error);
  process.exit(1);
});
