import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { isAlive } from './processes';
import { freePort, startTestRedis } from './test-servers';

/**
 * A throwaway PostgreSQL and redis-server in a process of their own, for specs that stop them by PID
 * under a running Kairos (Jest cannot load embedded-postgres, an ES module, inside a test file). Run
 * through scripts/run-ts.js; prints one JSON line `{ postgres: { url, pid }, redis: { url, pid } }`
 * once both are ready, then stops whatever still runs and deletes their files when its stdin closes.
 */
async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kairos-pg-'));
  const [postgres, redis] = await Promise.all([
    startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      persistent: false,
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    }),
    startTestRedis(),
  ]);
  process.stdout.write(
    `${JSON.stringify({
      postgres: { url: postgres.url, pid: postgres.pid },
      redis: { url: redis.url, pid: redis.pid },
    })}\n`,
  );
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  // embedded-postgres waits for an exit it already saw when the spec stopped PostgreSQL itself.
  if (postgres.pid !== undefined && isAlive(postgres.pid)) await postgres.stop();
  await redis.stop();
  await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error('test servers failed:', error);
  process.exit(1);
});
