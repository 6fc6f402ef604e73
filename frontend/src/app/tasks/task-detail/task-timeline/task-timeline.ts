import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { catchError, distinctUntilChanged, map, of, switchMap } from 'rxjs';
import { type Problem, toProblem } from '../../../api/problem';
import { formatAbsolute } from '../../../time/instants';
import type { TaskEventPage } from '../../task.model';
import { TasksApi } from '../../tasks-api';
import { TaskAsOfPanel } from '../task-as-of/task-as-of';
import { summarizeEvent } from './event-summary';
import {
  EMPTY_TIMELINE,
  type TimelineEvents,
  removedHistoryNote,
  withNewestPage,
  withOlderPage,
} from './timeline-pages';

/** Events per request: a task firing every second has millions; the page reads only what it shows. */
export const TIMELINE_PAGE = 50;

/**
 * A task's event timeline, newest first, read a page at a time from its event stream: the newest page
 * again whenever the task changes (`version`), older pages on request. Choosing an event shows the
 * task as it was then (TaskAsOfPanel) until "Back to now".
 */
@Component({
  selector: 'app-task-timeline',
  imports: [MatButtonModule, TaskAsOfPanel],
  templateUrl: './task-timeline.html',
  styleUrl: './task-timeline.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskTimeline {
  private readonly api = inject(TasksApi);
  private readonly destroyRef = inject(DestroyRef);

  readonly taskId = input.required<string>();
  /** Anything that changes when the task does (its revision): the newest page is read again then. */
  readonly version = input(0);

  protected readonly shown = signal<TimelineEvents>(EMPTY_TIMELINE);
  protected readonly problem = signal<Problem | null>(null);
  protected readonly loadingOlder = signal(false);
  /** The revision whose task is shown as it was; null: the page shows now. */
  protected readonly selected = signal<number | null>(null);
  protected readonly events = computed(() => this.shown().events);
  protected readonly hasOlder = computed(() => this.shown().olderCursor !== null);
  /** At the end of the list, once retention cut the task's history (ADR 012). */
  protected readonly removedHistory = computed(() => removedHistoryNote(this.shown()));
  protected readonly summarizeEvent = summarizeEvent;
  protected readonly formatAbsolute = formatAbsolute;
  /** The task whose events `shown` holds. */
  private shownId: string | null = null;

  constructor() {
    const request = computed(() => ({ id: this.taskId(), version: this.version() }));
    toObservable(request)
      .pipe(
        distinctUntilChanged((a, b) => a.id === b.id && a.version === b.version),
        switchMap(({ id }) =>
          this.api.events(id, { limit: TIMELINE_PAGE }).pipe(
            map((page) => ({ id, page, problem: null })),
            catchError((error: unknown) => of({ id, page: null, problem: toProblem(error) })),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe(({ id, page, problem }) => {
        if (id !== this.shownId) {
          // Another task (the route changed): never merge its events into this one's.
          this.shownId = id;
          this.shown.set(EMPTY_TIMELINE);
          this.selected.set(null);
        }
        this.problem.set(problem);
        if (page) this.shown.update((shown) => withNewestPage(shown, page));
      });
  }

  protected loadOlder(): void {
    const cursor = this.shown().olderCursor;
    if (cursor === null || this.loadingOlder()) return;
    const id = this.taskId();
    this.loadingOlder.set(true);
    this.api
      .events(id, { cursor, limit: TIMELINE_PAGE })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (page: TaskEventPage) => {
          this.loadingOlder.set(false);
          if (id === this.taskId()) this.shown.update((shown) => withOlderPage(shown, page));
        },
        error: (error: unknown) => {
          this.loadingOlder.set(false);
          this.problem.set(toProblem(error));
        },
      });
  }

  protected select(revision: number): void {
    this.selected.set(this.selected() === revision ? null : revision);
  }

  protected prettyJson(value: unknown): string {
    return JSON.stringify(value, null, 2);
  }
}
