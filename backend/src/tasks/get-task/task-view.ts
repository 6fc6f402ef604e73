import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CalendarAtRevision } from '../../calendars/domain/calendar-definition';
import { calendarExcluding, nextRunsOutsideCalendars } from '../../calendars/domain/calendar-timeline';
import { startTimeOf } from '../domain/jitter';
import { maskDefinition } from '../domain/secrets';
import type { RetryPolicy, TaskDefinition } from '../domain/task';
import { ApiSchemaProperty } from '../../api/openapi-schemas';
import {
  Action,
  Calendars,
  Concurrency,
  FailureAlert,
  Labels,
  Schedule,
} from '../http/task-definition.schema';
import { EXECUTION_OUTCOMES, type ExecutionOutcome } from '../domain/task.events';
import {
  type ExecutionSummary,
  type ExistingTaskState,
  isRegular,
  type TaskStatus,
} from '../domain/task.state';

/** The retry policy in force: every field set (the defaults filled in). */
export class RetryPolicyView implements RetryPolicy {
  @ApiProperty() maxAttempts!: number;
  @ApiProperty() backoffMs!: number;
  @ApiProperty() backoffFactor!: number;
  @ApiProperty() maxBackoffMs!: number;
}

/** How the latest finished execution ended. */
export class ExecutionSummaryView implements ExecutionSummary {
  @ApiProperty() occurrence!: number;
  @ApiProperty() attempt!: number;
  @ApiProperty({ enum: EXECUTION_OUTCOMES }) outcome!: ExecutionOutcome;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time' }) finishedAt!: string;
  @ApiProperty() durationMs!: number;
  @ApiPropertyOptional() error?: string;
}

/** A task as the API shows it: its definition plus where it stands. */
export class TaskView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() description?: string;
  @ApiSchemaProperty(Schedule) schedule!: TaskDefinition['schedule'];
  @ApiSchemaProperty(Action) action!: TaskDefinition['action'];
  @ApiProperty({ type: RetryPolicyView }) retry!: TaskDefinition['retry'];
  @ApiProperty() timeoutMs!: number;
  @ApiProperty({ enum: ['skip', 'allow'] }) overlap!: TaskDefinition['overlap'];
  @ApiProperty({ enum: ['fire_once', 'skip', 'fire_all'] }) misfire!: TaskDefinition['misfire'];
  @ApiSchemaProperty(Labels, { required: false }) labels?: Record<string, string>;
  @ApiPropertyOptional({ description: 'regular occurrences start up to this many ms late (absent: none)' })
  jitterMs?: number;
  @ApiSchemaProperty(FailureAlert, { required: false }) onFailure?: TaskDefinition['onFailure'];
  @ApiSchemaProperty(Concurrency, { required: false }) concurrency?: TaskDefinition['concurrency'];
  @ApiSchemaProperty(Calendars, { required: false }) calendars?: string[];
  @ApiProperty({ enum: ['active', 'paused', 'completed', 'deleted'] }) status!: TaskStatus;
  @ApiProperty() revision!: number;
  @ApiProperty() bucket!: number;
  @ApiProperty() registeredAt!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'when the next run starts (a jittered one at its planned time, after its due time)',
  })
  nextDueAt!: string | null;
  @ApiProperty({ type: [String], description: 'the next 5 due times' }) nextOccurrences!: string[];
  @ApiProperty({ type: ExecutionSummaryView, nullable: true }) lastExecution!: ExecutionSummary | null;
}

const SHOWN_OCCURRENCES = 5;

/** `calendars`: the task's live calendars (its next runs leave out what they exclude, ADR 018). */
export function toTaskView(
  id: string,
  state: ExistingTaskState,
  revision: number,
  calendars: readonly CalendarAtRevision[] = [],
): TaskView {
  const upcoming = upcomingOccurrences(state, calendars);
  return {
    id,
    ...maskDefinition(state.definition),
    status: state.status,
    revision,
    bucket: state.bucket,
    registeredAt: state.registeredAt,
    nextDueAt: nextStart(state) ?? null,
    nextOccurrences: upcoming,
    lastExecution: state.lastExecution,
  };
}

/** The earliest planned start of what is pending (jitter moves it after its due time, ADR 016). */
function nextStart(state: ExistingTaskState): string | undefined {
  if (state.status !== 'active' && state.status !== 'paused') return undefined;
  return state.scheduled.map(startTimeOf).sort()[0];
}

/** What is pending, then what the schedule brings after the last pending regular occurrence. */
function upcomingOccurrences(state: ExistingTaskState, calendars: readonly CalendarAtRevision[]): string[] {
  if (state.status !== 'active' && state.status !== 'paused') return [];
  const pending = state.scheduled
    .filter((s) => !isRegular(s.reason) || calendarExcluding(calendars, Date.parse(s.dueAt)) === null)
    .map((s) => s.dueAt)
    .sort();
  if (state.status === 'paused') return pending;
  const lastRegular = state.scheduled
    .filter((s) => isRegular(s.reason))
    .map((s) => new Date(s.dueAt))
    .sort((a, b) => a.getTime() - b.getTime())
    .at(-1);
  const more = lastRegular
    ? nextRunsOutsideCalendars(
        state.definition.schedule,
        lastRegular,
        SHOWN_OCCURRENCES,
        calendars,
        new Date(state.scheduleSince),
      )
    : [];
  return [...pending, ...more.map((d) => d.toISOString())].slice(0, SHOWN_OCCURRENCES);
}
