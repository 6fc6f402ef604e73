import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';

/**
 * Applies numbered, append-only SQL migrations (`001_name.sql`, `002_...`) from a folder, each once,
 * in order, in its own transaction. An advisory lock keeps processes that start together from applying
 * the same migration twice. `component` names the set (the event store and the read model migrate
 * independently), so each keeps its own history.
 */
export async function migrate(pool: Pool, component: string, folder: string): Promise<string[]> {
  const files = (await readdir(folder)).filter((name) => /^\d{3}_.+\.sql$/.test(name)).sort();
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`kairos-migrations`]);
    await client.query(`CREATE TABLE IF NOT EXISTS public.kairos_migrations (
      component text NOT NULL, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, name))`);
    const done = await client.query<{ name: string }>(
      'SELECT name FROM public.kairos_migrations WHERE component = $1',
      [component],
    );
    const applied = new Set(done.rows.map((row) => row.name));
    const newlyApplied: string[] = [];
    for (const file of files) {
      if (applied.has(file)) continue;
      const sql = await readFile(join(folder, file), 'utf8');
      // Not inTransaction (./transaction): that takes a connection of its own from the pool, and the
      // migration must run on this one, which holds the advisory lock (a pool of one would wait forever).
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO public.kairos_migrations (component, name) VALUES ($1, $2)', [
          component,
          file,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${component}/${file} failed: ${(error as Error).message}`);
      }
      newlyApplied.push(file);
    }
    return newlyApplied;
  } finally {
    await client
      .query('SELECT pg_advisory_unlock(hashtext($1))', [`kairos-migrations`])
      .catch(() => undefined);
    client.release();
  }
}
