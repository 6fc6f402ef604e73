import { Command } from '@nestjs/cqrs';

/** How many tasks the filter found, and how many of them the command changed. */
export interface BulkResult {
  matched: number;
  changed: number;
}

/** Pause (or resume) every task carrying all of these labels (`key:value`). */
export class PauseResumeByLabelCommand extends Command<BulkResult> {
  constructor(
    readonly action: 'pause' | 'resume',
    readonly labels: string[],
  ) {
    super();
  }
}
