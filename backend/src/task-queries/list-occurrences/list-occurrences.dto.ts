import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EXECUTION_OUTCOMES } from '../../tasks/domain/task.events';
import {
  OCCURRENCE_KINDS,
  OCCURRENCE_REASONS,
  OCCURRENCE_STATUSES,
  type OccurrenceKind,
  type OccurrenceReason,
  type OccurrenceStatus,
} from './occurrence-ledger';

/** The most due instants one answer covers: a wider window is refused (narrow it, or page by window). */
export const MAX_LEDGER_INSTANTS = 10_000;
/** The window when none is given: the hour up to now. */
export const DEFAULT_LEDGER_WINDOW_MS = 3_600_000;

export class OccurrenceItemView {
  @ApiProperty({ description: 'The due instant' }) dueAt!: string;
  @ApiProperty({
    enum: OCCURRENCE_KINDS,
    description:
      '`schedule`: an instant of the schedule; `manual`: a trigger; `catch_up`: the one run a resume made of the instants a pause held back (misfire fire_once); `backfill`: a past instant run on request (POST /api/tasks/{id}/backfill)',
  })
  kind!: OccurrenceKind;
  @ApiProperty({
    enum: OCCURRENCE_STATUSES,
    description:
      '`executed`: ran (see outcome); `running`; `scheduled`: pending, or a retry pending; `skipped`: see reason; `paused`: due while paused; `misfired`: passed over by the late run `coveredBy` (misfire policy); `upcoming`: not reached yet; `missing`: nothing explains it (never expected)',
  })
  status!: OccurrenceStatus;
  @ApiPropertyOptional({ description: 'The occurrence number, when one was given to it' })
  occurrence?: number;
  @ApiPropertyOptional({ enum: OCCURRENCE_REASONS, description: 'Why it did not run' })
  reason?: OccurrenceReason;
  @ApiPropertyOptional({ enum: EXECUTION_OUTCOMES, description: 'The last finished attempt’s outcome' })
  outcome?: string;
  @ApiPropertyOptional({ description: 'Attempts started' }) attempts?: number;
  @ApiPropertyOptional({
    description: 'When the task’s jitter planned the first attempt’s start (after dueAt)',
  })
  plannedAt?: string;
  @ApiPropertyOptional({ description: 'When the first attempt started' }) startedAt?: string;
  @ApiPropertyOptional({ description: 'When the last finished attempt finished' }) finishedAt?: string;
  @ApiPropertyOptional({ description: 'First start minus due time (minus its planned time when jittered)' })
  lagMs?: number;
  @ApiPropertyOptional({
    description: 'For a misfired instant: the occurrence whose late run passed over it',
  })
  coveredBy?: number;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'For reason `calendar`: the calendar that excluded it',
  })
  calendarId?: string;
}

export class OccurrenceCounts implements Record<OccurrenceStatus, number> {
  @ApiProperty() executed!: number;
  @ApiProperty() running!: number;
  @ApiProperty() scheduled!: number;
  @ApiProperty({ description: 'pending, waiting for a slot of its concurrency key' }) waiting!: number;
  @ApiProperty() skipped!: number;
  @ApiProperty() paused!: number;
  @ApiProperty() misfired!: number;
  @ApiProperty() upcoming!: number;
  @ApiProperty() missing!: number;
}

export class OccurrenceLedgerView {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ description: 'The window [from, to) answered' }) from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ description: 'The server’s time: instants after it are upcoming' }) now!: string;
  @ApiProperty({ type: [OccurrenceItemView], description: 'Oldest first' }) items!: OccurrenceItemView[];
  @ApiProperty({ type: OccurrenceCounts, description: 'Items per status' }) counts!: OccurrenceCounts;
}
