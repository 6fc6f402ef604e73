import type { Pool } from 'pg';
import type { ReadModelChange } from '../change-feed/change-feed';
import { READ_MODEL_PROJECTOR, READ_MODEL_SCHEMA, quoteIdentifier } from './read-model-schema';

/** The log position the read model reflects: its projector's checkpoint (0 before the first batch). */
export async function readModelPosition(pool: Pool, schema: string = READ_MODEL_SCHEMA): Promise<number> {
  const { rows } = await pool.query<{ position: string }>(
    `SELECT position FROM ${quoteIdentifier(schema)}.checkpoints WHERE projector = $1`,
    [READ_MODEL_PROJECTOR],
  );
  return Number(rows[0]?.position ?? 0);
}

export interface WaitOptions {
  /** Wakes the wait early when a change reaches the position (e.g. the ChangeFeed); it also polls. */
  changes?: { subscribe(listener: (change: ReadModelChange) => void): () => void };
  /** Longest pause between two reads of the checkpoint. */
  maxPollMs?: number;
}

/**
 * Waits until the read model has reached `position` (read-your-writes), at most `timeoutMs`.
 * Returns the position reached: at least `position` on success, less when the time ran out.
 */
export async function waitForPosition(
  pool: Pool,
  position: number,
  timeoutMs: number,
  options: WaitOptions = {},
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let reached = await readModelPosition(pool);
  if (reached >= position) return reached;
  let wake: (() => void) | undefined;
  const unsubscribe = options.changes?.subscribe((change) => {
    if (change.position >= position || change.all) wake?.();
  });
  try {
    for (
      let pauseMs = 5;
      reached < position && Date.now() < deadline;
      pauseMs = Math.min(pauseMs * 2, options.maxPollMs ?? 100)
    ) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(pauseMs, Math.max(0, deadline - Date.now())));
        function done(): void {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
      reached = await readModelPosition(pool);
    }
    return reached;
  } finally {
    unsubscribe?.();
  }
}
