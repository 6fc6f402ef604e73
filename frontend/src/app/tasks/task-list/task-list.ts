import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { type MatChipInputEvent, MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import {
  type Observable,
  catchError,
  asyncScheduler,
  debounceTime,
  distinctUntilChanged,
  map,
  merge,
  of,
  skip,
  Subject,
  startWith,
  switchMap,
  tap,
  throttleTime,
} from 'rxjs';
import { type Problem, toProblem } from '../../api/problem';
import { LiveConnection } from '../../live/live-connection';
import { When } from '../../time/when';
import { describeSchedule } from '../schedule-text';
import { labelTexts, parseLabelFilter } from '../labels';
import type { TaskListItem, TaskListPage, TaskStatus } from '../task.model';
import { type BulkCommandResult, type TaskSort, TasksApi } from '../tasks-api';

type ListState =
  | { kind: 'loading'; page?: TaskListPage }
  | { kind: 'loaded'; page: TaskListPage }
  | { kind: 'failed'; problem: Problem; page?: TaskListPage };

interface Row extends TaskListItem {
  scheduleText: string;
  /** The first labels, `key:value`, and how many more there are. */
  labelTexts: string[];
  moreLabels: number;
}

/** Labels a row shows; the rest are counted. */
const SHOWN_LABELS = 3;

type BulkCommand = 'pause' | 'resume';

/** "3 of 4 matching tasks paused": what a bulk command did. */
export function bulkMessage(command: BulkCommand, { matched, changed }: BulkCommandResult): string {
  const done = command === 'pause' ? 'paused' : 'resumed';
  if (matched === 0) return `No task has these labels: none ${done}`;
  return `${changed} of ${matched} matching ${matched === 1 ? 'task' : 'tasks'} ${done}`;
}

/** Live changes re-fetch the page at most this often: one query a second, however busy the cluster. */
const LIVE_REFRESH_MS = 1000;

/**
 * The task list: search, status filter, sort and cursor pages, all answered by the server (built for
 * a million tasks). Rows follow the cluster live: a change re-fetches the page shown.
 */
@Component({
  selector: 'app-task-list',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatChipsModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatProgressBarModule,
    When,
  ],
  templateUrl: './task-list.html',
  styleUrl: './task-list.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskList {
  private readonly api = inject(TasksApi);
  private readonly live = inject(LiveConnection);

  protected readonly statuses: { value: TaskStatus | ''; label: string }[] = [
    { value: '', label: 'Any status' },
    { value: 'active', label: 'Active' },
    { value: 'paused', label: 'Paused' },
    { value: 'completed', label: 'Completed' },
  ];
  protected readonly sorts: { value: TaskSort; label: string }[] = [
    { value: 'nextDue', label: 'Next run, soonest first' },
    { value: 'name', label: 'Name, A to Z' },
    { value: '-name', label: 'Name, Z to A' },
    { value: '-registered', label: 'Newest first' },
    { value: 'registered', label: 'Oldest first' },
  ];
  protected readonly pageSizes = [25, 50, 100];

  protected readonly search = signal('');
  protected readonly status = signal<TaskStatus | ''>('');
  protected readonly sort = signal<TaskSort>('nextDue');
  protected readonly limit = signal(50);
  /** Label filters, `key:value`: a task shows when it has all of them. */
  protected readonly labelFilters = signal<readonly string[]>([]);
  /** Why the label typed was not added as a filter. */
  protected readonly labelError = signal<string | null>(null);
  /** A bulk pause or resume under way, and what the last one did. */
  protected readonly bulkBusy = signal(false);
  protected readonly bulkResult = signal<{ text: string; failed: boolean } | null>(null);
  /** Cursors of the pages before the current one; the current page's cursor is last. */
  protected readonly cursors = signal<(string | null)[]>([null]);

  /** The search as sent: settled for 300 ms; a new search starts again from the first page. */
  private readonly settledSearch = toSignal(
    toObservable(this.search).pipe(
      map((text) => text.trim()),
      debounceTime(300),
      // Only a changed search resets the pages; the first, empty one must not undo an early "Next".
      startWith(''),
      distinctUntilChanged(),
      skip(1),
      tap(() => this.cursors.set([null])),
    ),
    { initialValue: '' },
  );

  /** One signal for the whole query, so changing two parts at once sends one request. */
  private readonly query = computed(() => ({
    q: this.settledSearch(),
    status: this.status(),
    sort: this.sort(),
    limit: this.limit(),
    labels: this.labelFilters(),
    cursor: this.cursors().at(-1) ?? null,
  }));

  /** Re-fetches the page shown (after a bulk command), keeping its rows on screen meanwhile. */
  private readonly reload$ = new Subject<void>();

  private readonly liveChanges$ = this.live
    .watch('tasks')
    .pipe(throttleTime(LIVE_REFRESH_MS, asyncScheduler, { leading: true, trailing: true }));

  protected readonly state = toSignal(
    toObservable(this.query).pipe(
      switchMap((query) =>
        merge(
          of(0),
          this.liveChanges$.pipe(map((change) => change.position)),
          this.reload$.pipe(map(() => 0)),
        ).pipe(
          switchMap((minPosition, index) =>
            this.fetch({ ...query, minPosition: minPosition || undefined }, index === 0),
          ),
        ),
      ),
    ),
    { initialValue: { kind: 'loading' } },
  );

  protected readonly rows = computed<Row[]>(() => {
    const state = this.state();
    const page = 'page' in state ? state.page : undefined;
    return (page?.items ?? []).map((item) => {
      const labels = labelTexts(item.labels);
      return {
        ...item,
        scheduleText: describeSchedule(item.schedule),
        labelTexts: labels.slice(0, SHOWN_LABELS),
        moreLabels: Math.max(0, labels.length - SHOWN_LABELS),
      };
    });
  });
  protected readonly pageNumber = computed(() => this.cursors().length);
  protected readonly nextCursor = computed(() => {
    const state = this.state();
    return 'page' in state ? (state.page?.nextCursor ?? null) : null;
  });

  private lastPage: TaskListPage | undefined;

  private fetch(query: Parameters<TasksApi['list']>[0], showLoading: boolean): Observable<ListState> {
    const request = this.api.list(query).pipe(
      map((page): ListState => {
        this.lastPage = page;
        return { kind: 'loaded', page };
      }),
      catchError((error: unknown) => {
        const problem = toProblem(error);
        return of<ListState>({ kind: 'failed', problem, page: this.lastPage });
      }),
    );
    // A live refresh keeps the rows on screen while it loads; a new query shows the progress bar.
    return showLoading
      ? request.pipe(startWith<ListState>({ kind: 'loading', page: this.lastPage }))
      : request;
  }

  protected setStatus(status: TaskStatus | ''): void {
    this.status.set(status);
    this.cursors.set([null]);
  }

  protected setSort(sort: TaskSort): void {
    this.sort.set(sort);
    this.cursors.set([null]);
  }

  protected setLimit(limit: number): void {
    this.limit.set(limit);
    this.cursors.set([null]);
  }

  protected setSearch(text: string): void {
    this.search.set(text);
  }

  /** Enter (or a comma) in the label field: adds `key:value` as a filter when the contract allows it. */
  protected addLabelFromInput(event: MatChipInputEvent): void {
    if (event.value.trim() === '') return;
    if (this.addLabelFilter(event.value)) event.chipInput.clear();
  }

  /** Adds a label filter (typed, or a row's label clicked); false, with the reason shown, when it is not one. */
  protected addLabelFilter(text: string): boolean {
    const parsed = parseLabelFilter(text);
    if ('error' in parsed) {
      this.labelError.set(parsed.error);
      return false;
    }
    this.labelError.set(null);
    if (!this.labelFilters().includes(parsed.filter)) {
      this.labelFilters.update((labels) => [...labels, parsed.filter]);
      this.bulkResult.set(null);
      this.cursors.set([null]);
    }
    return true;
  }

  protected removeLabelFilter(label: string): void {
    this.labelFilters.update((labels) => labels.filter((l) => l !== label));
    this.bulkResult.set(null);
    this.cursors.set([null]);
  }

  /** Pauses or resumes every task with all the label filters, says what it did and reloads the page. */
  protected bulk(command: BulkCommand): void {
    const labels = this.labelFilters();
    if (labels.length === 0 || this.bulkBusy()) return;
    this.bulkBusy.set(true);
    this.bulkResult.set(null);
    this.api.bulkCommand(command, labels).subscribe({
      next: (result) => {
        this.bulkBusy.set(false);
        this.bulkResult.set({ text: bulkMessage(command, result), failed: false });
        this.reload$.next();
      },
      error: (error: unknown) => {
        this.bulkBusy.set(false);
        const problem = toProblem(error);
        this.bulkResult.set({
          text: `Could not ${command} the matching tasks: ${problem.detail}`,
          failed: true,
        });
      },
    });
  }

  protected nextPage(): void {
    const cursor = this.nextCursor();
    if (cursor) this.cursors.update((cursors) => [...cursors, cursor]);
  }

  protected previousPage(): void {
    this.cursors.update((cursors) => (cursors.length > 1 ? cursors.slice(0, -1) : cursors));
  }
}
