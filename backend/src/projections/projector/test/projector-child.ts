/**
 * A projector in its own process, for the crash test: node scripts/run-ts.js <this file> <databaseUrl>.
 * Each batch lingers inside its transaction, so a SIGKILL lands in the middle of one.
 */
import { Pool } from 'pg';
import { PostgresEventStore } from '../../../event-store/postgres/postgres-event-store';
import { Projector } from '../projector';

async function main(): Promise<void> {
  const databaseUrl = process.argv[2];
  const store = await PostgresEventStore.connect(databaseUrl);
  const pool = new Pool({ connectionString: databaseUrl, max: 2, application_name: 'projector-child' });
  const projector = new Projector({
    pool,
    store,
    batchSize: 50,
    logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    afterTaskRows: () => new Promise((resolve) => setTimeout(resolve, 40)),
  });
  projector.start();
  process.stdout.write('projecting\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
