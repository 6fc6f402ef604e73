import type { ReadModelChange } from '../change-feed/change-feed';
import { changeOf, type PreparedBatch } from './batch-preparation';
import type { ParkedEvent } from './project-events';

/** A batch's result. `moved`: the checkpoint is not where this projector thought; follow from there. */
export type BatchOutcome =
  | { kind: 'applied'; position: number; change: ReadModelChange; parked: ParkedEvent[] }
  | { kind: 'moved'; position: number };

/** A written batch; `prepared` when it was applied exactly as prepared (its rowsAfter are true). */
export interface WrittenBatch {
  outcome: BatchOutcome;
  events: number;
  prepared: PreparedBatch | undefined;
}

/** A batch that changed no rows (or only parked an event). */
export function applied(position: number): BatchOutcome {
  return {
    kind: 'applied',
    position,
    change: { position, buckets: [], tasks: [], executions: [] },
    parked: [],
  };
}

/** A prepared batch, applied as it was prepared. */
export function appliedAsPrepared(prepared: PreparedBatch): BatchOutcome {
  const change = changeOf(prepared);
  return { kind: 'applied', position: prepared.position, change, parked: prepared.projected.parked };
}
