import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { migrate } from '../../database/migrate';

/**
 * The read model's PostgreSQL schema. It lives in the database of DATABASE_URL (also when the event
 * store is EventStoreDB), is created by the numbered files in ./migrations, and can be replaced as a
 * whole by a rebuild (rebuild/rebuild.ts), which builds the same tables under REBUILD_SCHEMA first.
 */
export const READ_MODEL_SCHEMA = 'read_model';
/** Where a rebuild builds the next read model before swapping it in. */
export const REBUILD_SCHEMA = 'read_model_rebuild';
/** The projector's row in `checkpoints`. */
export const READ_MODEL_PROJECTOR = 'read-model';
/** The migration history's component name (public.kairos_migrations). */
export const READ_MODEL_COMPONENT = 'read-model';

const MIGRATIONS = join(__dirname, 'migrations');

/** Applies the read model's pending migrations; returns the files applied now. */
export function migrateReadModel(pool: Pool): Promise<string[]> {
  return migrate(pool, READ_MODEL_COMPONENT, MIGRATIONS);
}

/**
 * Creates an empty read model under `schema` (dropping whatever is there) by replaying every migration
 * with the schema name replaced. Runs on the caller's client, inside the caller's transaction if any.
 */
export async function createReadModelSchema(client: PoolClient, schema: string): Promise<void> {
  if (schema === READ_MODEL_SCHEMA) throw new Error('refusing to recreate the live read model in place');
  await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  const files = (await readdir(MIGRATIONS)).filter((name) => /^\d{3}_.+\.sql$/.test(name)).sort();
  for (const file of files) {
    const sql = await readFile(join(MIGRATIONS, file), 'utf8');
    await client.query(sql.replace(/\bread_model\b/g, schema));
  }
}

/** `name` as a quoted SQL identifier. Schema names here come from code, never from requests. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
