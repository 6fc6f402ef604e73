import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { migrateReadModel } from '../../projections/read-model/read-model-schema';
import { createTestDatabase } from '../../../test/test-database';
import { ConcurrencySlots, SLOT_RELEASED_CHANNEL, type SlotClaim } from './concurrency-slots';

// The slots table against a real PostgreSQL: the limit holds under concurrent takers from many
// "workers" (connections), waiters are served in due order, releases notify, nothing leaks.

describe('concurrency slots (PostgreSQL)', () => {
  let url: string;
  let pool: Pool;

  beforeAll(async () => {
    url = await createTestDatabase('concurrency-slots');
    pool = new Pool({ connectionString: url, max: 12 });
    await migrateReadModel(pool); // reconciliation reads read_model.executions
    await ConcurrencySlots.migrate(pool);
    expect(await ConcurrencySlots.migrate(pool)).toEqual([]); // idempotent
  });
  afterAll(async () => {
    await pool.end();
  });

  const claim = (key: string, limit: number, dueAt: number, occurrence = 1): SlotClaim => ({
    key,
    limit,
    taskId: randomUUID(),
    occurrence,
    attempt: 1,
    dueAt: new Date(dueAt),
  });
  const held = async (key: string): Promise<number> => {
    const { rows } = await pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM concurrency.slots WHERE key = $1 AND taken_at IS NOT NULL',
      [key],
    );
    return Number(rows[0].n);
  };

  it('concurrent takers from three workers never hold more than the limit', async () => {
    const workers = ['w1', 'w2', 'w3'].map((id) => new ConcurrencySlots(pool, id));
    const key = `db-${randomUUID()}`;
    const claims = Array.from({ length: 30 }, (_, i) => claim(key, 3, Date.UTC(2026, 0, 1, 0, 0, i)));
    // Three earlier runs hold the key while the 30 come due and queue up.
    const blockers = [0, 1, 2].map((i) => claim(key, 3, Date.UTC(2025, 0, 1, 0, 0, i)));
    for (const c of blockers) expect((await workers[0].take(c)).kind).toBe('granted');
    const queued = await Promise.all(claims.map((c, i) => workers[i % 3].take(c)));
    expect(queued.every((result) => result.kind === 'waiting')).toBe(true);
    await Promise.all(blockers.map((c) => workers[1].release(c.taskId, c.occurrence, c.attempt)));
    let maxHeld = 0;
    const granted: SlotClaim[] = [];
    // Rounds: everyone tries at once; the holders release; the rest try again.
    let waiting = claims;
    for (let round = 0; waiting.length > 0 && round < 40; round++) {
      const results = await Promise.all(waiting.map((c, i) => workers[i % 3].take(c)));
      const now = waiting.filter((_, i) => results[i].kind === 'granted');
      maxHeld = Math.max(maxHeld, await held(key));
      expect(now.length).toBeLessThanOrEqual(3);
      granted.push(...now);
      await Promise.all(now.map((c) => workers[0].release(c.taskId, c.occurrence, c.attempt)));
      waiting = waiting.filter((c) => !now.includes(c));
    }
    expect(maxHeld).toBe(3);
    expect(granted).toHaveLength(30);
    // Each round served the earliest due: the grants are in due order.
    expect(granted.map((c) => c.dueAt.getTime())).toEqual(claims.map((c) => c.dueAt.getTime()));
  });

  it('serves waiters in due order across workers: a later one does not jump the queue', async () => {
    const [a, b] = [new ConcurrencySlots(pool, 'a'), new ConcurrencySlots(pool, 'b')];
    const key = `q-${randomUUID()}`;
    const holder = claim(key, 1, 1000);
    const early = claim(key, 1, 2000);
    const late = claim(key, 1, 3000);
    expect((await a.take(holder)).kind).toBe('granted');
    expect((await b.take(early)).kind).toBe('waiting');
    expect((await a.take(late)).kind).toBe('waiting');
    await a.release(holder.taskId, 1, 1);
    // The later one asks first, but the earlier waiter is live: it is refused.
    expect((await a.take(late)).kind).toBe('waiting');
    const first = await b.take(early);
    expect(first.kind).toBe('granted');
    expect(first.kind === 'granted' && first.waitingSince).toBeInstanceOf(Date);
    // Taking an attempt that is already held is refused to everyone, its holder included.
    expect((await a.take(early)).kind).toBe('elsewhere');
    expect((await b.take(early)).kind).toBe('elsewhere');
  });

  it('a dead waiter (not renewed) no longer holds the queue back', async () => {
    const slots = new ConcurrencySlots(pool, 'w');
    const key = `stale-${randomUUID()}`;
    const dead = claim(key, 1, 1000);
    const alive = claim(key, 1, 2000);
    const holder = claim(key, 1, 500);
    await slots.take(holder);
    await slots.take(dead);
    await pool.query(
      `UPDATE concurrency.slots SET seen_at = now() - interval '1 minute' WHERE task_id = $1`,
      [dead.taskId],
    );
    await slots.release(holder.taskId, 1, 1);
    expect((await slots.take(alive)).kind).toBe('granted');
    // Reconciliation removes the dead waiter's row.
    await slots.reconcile();
    const { rowCount } = await pool.query('SELECT 1 FROM concurrency.slots WHERE task_id = $1', [
      dead.taskId,
    ]);
    expect(rowCount).toBe(0);
  });

  it('a release is announced on the channel with its key', async () => {
    const listener = new Client({ connectionString: url });
    await listener.connect();
    try {
      await listener.query(`LISTEN ${SLOT_RELEASED_CHANNEL}`);
      const heard = new Promise<string>((resolve) =>
        listener.on('notification', (message) => resolve(message.payload ?? '')),
      );
      const slots = new ConcurrencySlots(pool, 'w');
      const key = `n-${randomUUID()}`;
      const c = claim(key, 1, 1000);
      await slots.take(c);
      await slots.release(c.taskId, 1, 1);
      expect(await heard).toBe(key);
    } finally {
      await listener.end();
    }
  });

  it('reconciles slots whose holder is gone or whose execution finished, never a running one', async () => {
    const slots = new ConcurrencySlots(pool, 'gone');
    const key = `r-${randomUUID()}`;
    const [running, finished, neverStarted] = [claim(key, 5, 1), claim(key, 5, 2), claim(key, 5, 3)];
    for (const c of [running, finished, neverStarted]) expect((await slots.take(c)).kind).toBe('granted');
    await pool.query(`UPDATE concurrency.slots SET taken_at = now() - interval '1 minute' WHERE key = $1`, [
      key,
    ]);
    const execution = (c: SlotClaim, finishedAt: string | null) =>
      pool.query(
        `INSERT INTO read_model.executions (task_id, occurrence, attempt, bucket, started_at, finished_at, position)
         VALUES ($1, 1, 1, 0, now(), $2, 1)`,
        [c.taskId, finishedAt],
      );
    await execution(running, null);
    await execution(finished, new Date().toISOString());
    // The holder is alive: only the finished one's slot (its release was lost) comes back.
    await slots.reconcile(['gone']);
    expect(await held(key)).toBe(2);
    // The holder is gone: the never-started one comes back; the running one waits for the lost sweep.
    await slots.reconcile(['someone-else']);
    expect(await held(key)).toBe(1);
    const { rows } = await pool.query('SELECT task_id FROM concurrency.slots WHERE key = $1', [key]);
    expect(rows.map((row) => row.task_id)).toEqual([running.taskId]);
  });
});
