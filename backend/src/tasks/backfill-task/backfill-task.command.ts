import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '../task-repository';

/** What a backfill answers: the command's result, and how its window's past instants fared. */
export interface BackfillResult extends CommandResult {
  /** Past instants of the window put on the timeline now (each a new occurrence, reason backfill). */
  scheduled: number;
  /** Past instants of the window an earlier backfill already ran (or has pending): not run again. */
  alreadyBackfilled: number;
}

/**
 * Run each of the task's schedule's past instants in [from, to) once, due at that instant, even while
 * paused. `ifMatch`: the revision the client saw, if it sent one.
 */
export class BackfillTaskCommand extends Command<BackfillResult> {
  constructor(
    readonly taskId: string,
    readonly from: string,
    readonly to: string,
    readonly ifMatch: number | undefined,
  ) {
    super();
  }
}
