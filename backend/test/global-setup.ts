import { startTestPostgres, startTestRedis, type TestServer } from './test-servers';

/** Starts the run's PostgreSQL and Redis once; suites make their own databases on them. */
export default async function globalSetup(): Promise<void> {
  const started: TestServer[] = [];
  const postgres = await startTestPostgres();
  started.push(postgres);
  process.env.KAIROS_TEST_DATABASE_URL = postgres.url;
  try {
    const redis = await startTestRedis();
    started.push(redis);
    process.env.KAIROS_TEST_REDIS_URL = redis.url;
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  (globalThis as { __kairosTestServers?: TestServer[] }).__kairosTestServers = started;
}
