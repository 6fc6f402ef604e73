import { HttpClient, HttpHeaders } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import type {
  BackfillResult,
  CommandResult,
  OccurrenceLedger,
  ExecutionPage,
  TaskListPage,
  TaskAsOf,
  TaskChanges,
  TaskDefinition,
  TaskDiff,
  TaskEventPage,
  Schedule,
  SchedulePreview,
  TaskStatus,
  TaskView,
} from './task.model';

/** The query API's sorts; `-` is descending. */
export type TaskSort = 'nextDue' | '-nextDue' | 'name' | '-name' | 'registered' | '-registered';

export interface TaskQuery {
  status?: TaskStatus | '';
  q?: string;
  sort?: TaskSort;
  cursor?: string | null;
  limit?: number;
  /** Read at least up to this log position (read-your-writes, or a live change's position). */
  minPosition?: number;
  /** Label filters, `key:value`; a task matches when it has all of them (sent as repeated `label`). */
  labels?: readonly string[];
}

/** What a bulk pause or resume answers: tasks with all the labels, and those whose status it changed. */
export interface BulkCommandResult {
  matched: number;
  changed: number;
}

/** The task API: reads (query API, read model) and commands (each answers id, revision, position). */
@Injectable({ providedIn: 'root' })
export class TasksApi {
  private readonly http = inject(HttpClient);

  list({ labels, ...query }: TaskQuery): Observable<TaskListPage> {
    return this.http.get<TaskListPage>('/api/tasks', {
      params: { ...params({ ...query }), ...labelParams(labels) },
    });
  }

  /**
   * Pauses or resumes every task that has all these labels (`key:value`). The server refuses a call
   * without a label (400), so this never sends one.
   */
  bulkCommand(command: 'pause' | 'resume', labels: readonly string[]): Observable<BulkCommandResult> {
    if (labels.length === 0) throw new Error('A bulk command needs at least one label filter');
    return this.http.post<BulkCommandResult>(`/api/tasks/${command}`, null, { params: labelParams(labels) });
  }

  /** The next runs of a schedule as the scheduler computes them (POST /api/schedules/preview). */
  previewSchedule(
    schedule: Schedule,
    count: number,
    calendars: readonly string[] = [],
  ): Observable<string[]> {
    return this.http
      .post<SchedulePreview>('/api/schedules/preview', {
        schedule,
        count,
        ...(calendars.length > 0 && { calendars }),
      })
      .pipe(map((preview) => preview.occurrences));
  }

  get(id: string, minPosition?: number): Observable<TaskView> {
    return this.http.get<TaskView>(`/api/tasks/${id}`, { params: params({ minPosition }) });
  }

  /** A page of the task's event stream, newest first; `cursor` is the previous page's nextCursor. */
  events(id: string, page: { cursor?: string | null; limit?: number } = {}): Observable<TaskEventPage> {
    return this.http.get<TaskEventPage>(`/api/tasks/${id}/events`, { params: params(page) }).pipe(
      map((answer) => ({
        items: answer.items,
        nextCursor: answer.nextCursor ?? null,
        historyStartsAt: answer.historyStartsAt ?? null,
      })),
    );
  }

  /** The task as it was at a revision (folded from its event log). */
  asOf(id: string, revision: number): Observable<TaskAsOf> {
    return this.http.get<TaskAsOf>(`/api/tasks/${id}`, { params: params({ asOf: revision }) });
  }

  /** The definition fields that differ between two revisions. */
  diff(id: string, from: number, to: number): Observable<TaskDiff> {
    return this.http.get<TaskDiff>(`/api/tasks/${id}/diff`, { params: params({ from, to }) });
  }

  executions(id: string, minPosition?: number, cursor?: string | null): Observable<ExecutionPage> {
    return this.http.get<ExecutionPage>(`/api/tasks/${id}/executions`, {
      params: params({ minPosition, cursor }),
    });
  }

  /** The occurrence ledger of [from, to): what became of each due instant. */
  occurrences(id: string, window: { from: string; to: string }): Observable<OccurrenceLedger> {
    return this.http.get<OccurrenceLedger>(`/api/tasks/${id}/occurrences`, { params: params(window) });
  }

  create(definition: TaskDefinition): Observable<CommandResult> {
    return this.http.post<CommandResult>('/api/tasks', definition);
  }

  /** A stale `revision` answers 412 (someone else changed the task since it was loaded). */
  update(id: string, changes: TaskChanges, revision: number): Observable<CommandResult> {
    return this.http.patch<CommandResult>(`/api/tasks/${id}`, changes, {
      headers: new HttpHeaders({ 'If-Match': `"${revision}"` }),
    });
  }

  command(id: string, command: 'pause' | 'resume' | 'trigger'): Observable<CommandResult> {
    return this.http.post<CommandResult>(`/api/tasks/${id}/${command}`, {});
  }

  /** Runs the past occurrences of [from, to) of the task's schedule, once each (instants as ISO). */
  backfill(id: string, window: { from: string; to: string }): Observable<BackfillResult> {
    return this.http.post<BackfillResult>(`/api/tasks/${id}/backfill`, window);
  }

  delete(id: string): Observable<CommandResult> {
    return this.http.delete<CommandResult>(`/api/tasks/${id}`);
  }
}

/** `?label=team:billing&label=env:prod`: one parameter per label filter. */
function labelParams(labels: readonly string[] | undefined): { label?: readonly string[] } {
  return labels?.length ? { label: labels } : {};
}

/** Query parameters without the empty ones. */
export function params(values: Record<string, string | number | null | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') result[key] = String(value);
  }
  return result;
}
