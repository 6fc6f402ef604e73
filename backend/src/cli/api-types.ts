import type { components } from '../../../contracts/api';

/**
 * The API's answers as the CLI reads them: names for the contract's types (contracts/api.ts, generated
 * from the server's OpenAPI document by `npm run contract`), never copies of them.
 */
type Schemas = components['schemas'];

export type CommandResponse = Schemas['CommandResponse'];
export type TaskListItem = Schemas['TaskListItem'];
export type TaskListPage = Schemas['TaskListPage'];
export type TaskView = Schemas['TaskView'];
export type TaskAsOfView = Schemas['TaskAsOfView'];
export type Schedule = TaskView['schedule'];
export type ExecutionView = Schemas['ExecutionView'];
export type ExecutionPage = Schemas['ExecutionPage'];
export type OccurrenceItem = Schemas['OccurrenceItemView'];
export type OccurrenceLedger = Schemas['OccurrenceLedgerView'];
export type TaskEventView = Schemas['TaskEventView'];
export type TaskEventPage = Schemas['TaskEventPage'];
export type TaskDiffView = Schemas['TaskDiffView'];
export type BulkResult = Schemas['BulkResultView'];
export type BackfillResponse = Schemas['BackfillResponse'];
export type CalendarView = Schemas['CalendarView'];
export type CalendarList = Schemas['CalendarList'];
