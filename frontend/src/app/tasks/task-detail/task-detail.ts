import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';
import {
  type Observable,
  Subject,
  asyncScheduler,
  forkJoin,
  map,
  merge,
  of,
  switchMap,
  throttleTime,
  filter,
  catchError,
} from 'rxjs';
import { loadLatest, loadedValue } from '../../api/loadable';
import { CalendarsApi } from '../../calendars/calendars-api';
import { toProblem } from '../../api/problem';
import { LiveConnection } from '../../live/live-connection';
import { formatAbsolute, formatDuration } from '../../time/instants';
import { Now } from '../../time/now';
import { When } from '../../time/when';
import { labelTexts } from '../labels';
import { describeSchedule, describeSeconds } from '../schedule-text';
import type { BackfillResult, Execution, TaskView } from '../task.model';
import { TasksApi } from '../tasks-api';
import { BackfillDialog, type BackfillDialogData } from './backfill-dialog';
import { ConfirmDeleteDialog } from './confirm-delete-dialog';
import { TaskOccurrences } from './task-occurrences/task-occurrences';
import { TaskTimeline } from './task-timeline/task-timeline';

interface TaskDetails {
  task: TaskView;
  executions: Execution[];
}

/** Changes to one task arrive in bursts (a run is 2 to 3 events): re-fetch at most twice a second. */
const LIVE_REFRESH_MS = 500;
const SHOWN_EXECUTIONS = 50;

/** One task: definition, next runs, executions, occurrence ledger and event timeline (with the task as of any event), all live; and its commands. */
@Component({
  selector: 'app-task-detail',
  imports: [RouterLink, MatButtonModule, MatProgressBarModule, When, TaskOccurrences, TaskTimeline],
  templateUrl: './task-detail.html',
  styleUrl: './task-detail.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskDetail {
  private readonly api = inject(TasksApi);
  private readonly calendars = inject(CalendarsApi);
  private readonly live = inject(LiveConnection);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly now = inject(Now);

  readonly id = input.required<string>();

  /** Re-fetch requests after a command, carrying the position it wrote. */
  private readonly written = new Subject<number>();
  protected readonly busy = signal(false);
  protected readonly describeSchedule = describeSchedule;
  protected readonly describeSeconds = describeSeconds;
  protected readonly formatDuration = formatDuration;
  protected readonly formatAbsolute = formatAbsolute;
  protected readonly labelTexts = labelTexts;
  protected readonly loadedValue = loadedValue;

  /** How far the task's jitter moved a run's planned start from its due time (its lag counts from there). */
  protected jitterOf(execution: Execution): string | null {
    if (!execution.dueAt || !execution.plannedAt) return null;
    return formatDuration(Date.parse(execution.plannedAt) - Date.parse(execution.dueAt));
  }

  protected readonly state = loadLatest(
    toObservable(this.id).pipe(
      switchMap((id) => this.readPositions(id).pipe(map((minPosition) => ({ id, minPosition })))),
    ),
    ({ id, minPosition }) => this.fetch(id, minPosition),
  );

  /** The names of the task's calendars (read only for a task that names some; an unknown id shows as is). */
  private readonly calendarIds = computed(() => loadedValue(this.state())?.task.calendars ?? [], {
    equal: (a, b) => a.join() === b.join(),
  });
  protected readonly calendarNames = loadLatest(toObservable(this.calendarIds), (ids) =>
    ids.length === 0
      ? of([] as string[])
      : this.calendars.list().pipe(
          map((all) => ids.map((id) => all.find((c) => c.id === id)?.name ?? id)),
          catchError(() => of(ids)),
        ),
  );

  /** A run more than 10 s late (the promised bound) means no worker is firing this task. */
  protected readonly overdue = computed(() => {
    const due = loadedValue(this.state())?.task.nextDueAt;
    return due !== null && due !== undefined && this.now.value() - Date.parse(due) > 10_000;
  });

  /** Where to read the task: where navigation left it, then at each change to it (ours or pushed). */
  private readPositions(id: string): Observable<number> {
    const navigationPosition = (history.state as { minPosition?: number } | null)?.minPosition ?? 0;
    const live$ = this.live.watch(`task:${id}`).pipe(map((change) => change.position));
    const listAll$ = this.live.watch('tasks').pipe(
      filter((change) => change.all === true),
      map((change) => change.position),
    );
    const changes$ = merge(live$, listAll$, this.written).pipe(
      throttleTime(LIVE_REFRESH_MS, asyncScheduler, { leading: true, trailing: true }),
    );
    return merge(of(navigationPosition), changes$);
  }

  /** The task and its latest executions, from the read model; the timeline reads its own pages. */
  private fetch(id: string, minPosition: number): Observable<TaskDetails> {
    const position = minPosition || undefined;
    return forkJoin({
      task: this.api.get(id, position),
      executions: this.api
        .executions(id, position)
        .pipe(map((page) => page.items.slice(0, SHOWN_EXECUTIONS))),
    });
  }

  protected run(command: 'pause' | 'resume' | 'trigger'): void {
    const done = { pause: 'Paused', resume: 'Resumed', trigger: 'Triggered: it runs now' }[command];
    this.busy.set(true);
    this.api.command(this.id(), command).subscribe({
      next: (result) => {
        this.busy.set(false);
        this.snackBar.open(done, undefined, { duration: 3000 });
        this.written.next(result.position);
      },
      error: (error: unknown) => this.failed(error),
    });
  }

  /** The backfill dialog sends the command itself (its errors show there); the page then reads it. */
  protected openBackfill(task: TaskView): void {
    this.dialog
      .open<BackfillDialog, BackfillDialogData, BackfillResult | undefined>(BackfillDialog, {
        data: { id: task.id, name: task.name },
      })
      .afterClosed()
      .subscribe((result) => {
        if (result) this.written.next(result.position);
      });
  }

  protected confirmDelete(task: TaskView): void {
    this.dialog
      .open<ConfirmDeleteDialog, { name: string }, boolean>(ConfirmDeleteDialog, {
        data: { name: task.name },
      })
      .afterClosed()
      .subscribe((confirmed) => {
        if (!confirmed) return;
        this.busy.set(true);
        this.api.delete(task.id).subscribe({
          next: () => {
            this.busy.set(false);
            this.snackBar.open(`Deleted “${task.name}”`, undefined, { duration: 4000 });
            void this.router.navigate(['/tasks']);
          },
          error: (error: unknown) => this.failed(error),
        });
      });
  }

  private failed(error: unknown): void {
    this.busy.set(false);
    this.snackBar.open(toProblem(error).detail, 'Dismiss', { duration: 8000 });
  }
}
