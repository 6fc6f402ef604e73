import type { components } from '../../../../contracts/api';

/**
 * The task API's shapes as the GUI reads them: names for the contract's types (contracts/api.ts,
 * generated from the server's OpenAPI document by `npm run contract`), never copies of them. Instants
 * are ISO 8601 strings.
 */
type Schemas = components['schemas'];

export type TaskView = Schemas['TaskView'];
export type TaskStatus = TaskView['status'];
export type Schedule = TaskView['schedule'];
export type Action = TaskView['action'];
export type HttpMethod = NonNullable<Schemas['HttpAction']['method']>;
export type OverlapPolicy = TaskView['overlap'];
export type MisfirePolicy = TaskView['misfire'];
export type RetryPolicy = Schemas['RetryPolicyView'];
export type ExecutionSummary = Schemas['ExecutionSummaryView'];
export type ExecutionOutcome = ExecutionSummary['outcome'];
export type TaskListItem = Schemas['TaskListItem'];
export type TaskListPage = Schemas['TaskListPage'];
export type Execution = Schemas['ExecutionView'];
export type ExecutionPage = Schemas['ExecutionPage'];
export type HistoryStart = Schemas['HistoryStart'];
export type TaskEvent = Schemas['TaskEventView'];
export type TaskEventPage = Schemas['TaskEventPage'];
/** GET /api/tasks/{id}?asOf=: the task as it was at a revision, folded from its event log. */
export type TaskAsOf = Schemas['TaskAsOfView'];
/** One definition field that differs between two revisions; null where it was unset. */
export type FieldChange = Schemas['FieldChangeView'];
export type TaskDiff = Schemas['TaskDiffView'];
/** What every command answers: send `revision` as If-Match, `position` as ?minPosition=. */
export type CommandResult = Schemas['CommandResponse'];
/** POST /api/tasks/{id}/backfill: a command's answer and how the window's past instants fared. */
export type BackfillResult = Schemas['BackfillResponse'];
export type OccurrenceItem = Schemas['OccurrenceItemView'];
export type OccurrenceStatus = OccurrenceItem['status'];
/** The occurrence ledger of a window [from, to), oldest first. */
export type OccurrenceLedger = Schemas['OccurrenceLedgerView'];
/** POST /api/schedules/preview: a schedule's next runs, before any task has it. */
export type SchedulePreview = Schemas['SchedulePreview'];
/** What POST /api/tasks takes (PATCH takes any part of it). */
export type TaskDefinition = Schemas['TaskDefinition'];
export type TaskChanges = Schemas['TaskChanges'];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export {
  HTTP_METHODS,
  OCCURRENCE_STATUSES,
  REMOVED_VALUES,
  TASK_DEFINITION_FIELDS,
} from '../../../../contracts/enums';
