import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { asyncScheduler, catchError, combineLatest, interval, map, of, startWith, throttleTime } from 'rxjs';
import { CalendarsApi } from '../../../calendars/calendars-api';
import { loadLatest, loadedValue } from '../../../api/loadable';
import { formatAbsolute, formatDuration } from '../../../time/instants';
import { OCCURRENCE_STATUSES, type OccurrenceItem, type OccurrenceStatus } from '../../task.model';
import { TasksApi } from '../../tasks-api';

export const LEDGER_WINDOWS = [
  { label: '15 min', ms: 15 * 60_000 },
  { label: '1 hour', ms: 3_600_000 },
  { label: '6 hours', ms: 6 * 3_600_000 },
  { label: '24 hours', ms: 24 * 3_600_000 },
] as const;
const DEFAULT_WINDOW_MS = 3_600_000;
/** The window moves on with time even when the task writes nothing (a paused task, say). */
const TICK_MS = 5000;
/** A one-second cron changes twice a second; its ledger (thousands of rows) is read at most every 2 s. */
const REFRESH_MS = 2000;
const PAGE = 100;

/** Why an instant did not run, in words. */
const REASONS: Record<string, string> = {
  overlap: 'skipped: the previous run was still running',
  misfire: 'skipped: found too late (misfire policy)',
  paused: 'the task was paused',
  rescheduled: 'skipped: the schedule changed before it ran',
  deleted: 'skipped: the task was deleted before it ran',
  calendar: 'skipped: excluded by a calendar',
};

/**
 * The occurrence ledger of one task: for each due instant of its schedule in the chosen window, what
 * became of it, newest first, coloured by status. Read again when the task changes (`version`) and
 * as time moves on.
 */
@Component({
  selector: 'app-task-occurrences',
  imports: [MatButtonModule, MatButtonToggleModule],
  templateUrl: './task-occurrences.html',
  styleUrl: './task-occurrences.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskOccurrences {
  private readonly api = inject(TasksApi);
  /** Calendar names by id, for the skips a calendar caused (read once; an unknown id keeps the plain reason). */
  protected readonly calendarNames = toSignal(
    inject(CalendarsApi)
      .list()
      .pipe(
        map((calendars) => new Map(calendars.map((c) => [c.id, c.name]))),
        catchError(() => of(new Map<string, string>())),
      ),
    { initialValue: new Map<string, string>() },
  );

  readonly taskId = input.required<string>();
  /** Anything that changes when the task does (its revision): the ledger is read again then. */
  readonly version = input(0);
  /** The zone absolute times are shown in (a cron task's own). */
  readonly timeZone = input<string | undefined>(undefined);

  protected readonly windows = LEDGER_WINDOWS;
  protected readonly windowMs = signal(DEFAULT_WINDOW_MS);
  /** Statuses shown; none chosen shows all. */
  protected readonly statusFilter = signal<readonly OccurrenceStatus[]>([]);
  protected readonly limit = signal(PAGE);
  protected readonly formatDuration = formatDuration;
  protected readonly formatAbsolute = formatAbsolute;
  /** How far the task's jitter moved a run's planned start from its due instant (its lag counts from there). */
  protected readonly jitterMs = (item: { dueAt: string; plannedAt?: string }) =>
    item.plannedAt ? Date.parse(item.plannedAt) - Date.parse(item.dueAt) : null;

  private readonly request = computed(() => ({
    id: this.taskId(),
    version: this.version(),
    windowMs: this.windowMs(),
  }));

  protected readonly state = loadLatest(
    combineLatest([toObservable(this.request), interval(TICK_MS).pipe(startWith(0))]).pipe(
      throttleTime(REFRESH_MS, asyncScheduler, { leading: true, trailing: true }),
    ),
    ([{ id, windowMs }]) => {
      const to = Date.now();
      const window = { from: new Date(to - windowMs).toISOString(), to: new Date(to).toISOString() };
      return this.api.occurrences(id, window);
    },
  );

  protected readonly ledger = computed(() => loadedValue(this.state()));
  /** Statuses present in the window, with their counts, in the API's order. */
  protected readonly counts = computed(() => {
    const counts = this.ledger()?.counts;
    return counts
      ? OCCURRENCE_STATUSES.filter((s) => counts[s] > 0).map((s) => ({ status: s, count: counts[s] }))
      : [];
  });
  private readonly filtered = computed(() => {
    const items = this.ledger()?.items ?? [];
    const statuses = this.statusFilter();
    return [...(statuses.length > 0 ? items.filter((i) => statuses.includes(i.status)) : items)].reverse();
  });
  protected readonly shown = computed(() => this.filtered().slice(0, this.limit()));
  protected readonly older = computed(() => this.filtered().length - this.shown().length);

  protected setWindow(ms: number): void {
    this.windowMs.set(ms);
    this.limit.set(PAGE);
  }

  protected toggleStatus(status: OccurrenceStatus): void {
    this.statusFilter.update((shown) =>
      shown.includes(status) ? shown.filter((s) => s !== status) : [...shown, status],
    );
    this.limit.set(PAGE);
  }

  protected showOlder(): void {
    this.limit.update((limit) => limit + PAGE);
  }

  /** What the row says beside its status: why it did not run, or how it went. */
  protected why(item: OccurrenceItem): string {
    switch (item.status) {
      case 'misfired':
        return `passed over by the late run #${item.coveredBy ?? '?'} (misfire policy)`;
      case 'executed':
      case 'running':
      case 'scheduled': {
        const attempts = item.attempts && item.attempts > 1 ? ` after ${item.attempts} attempts` : '';
        if (item.status === 'running') return `running${attempts}`;
        if (item.status === 'scheduled') return item.outcome ? `${item.outcome}, retry pending` : 'due';
        return `${(item.outcome ?? '').replace('_', ' ')}${attempts}`;
      }
      case 'waiting':
        return 'due, waiting for a slot of its concurrency key';
      case 'upcoming':
        return 'not reached yet';
      case 'missing':
        return 'nothing explains it';
      default: {
        const calendar = item.calendarId ? this.calendarNames().get(item.calendarId) : undefined;
        if (item.reason === 'calendar' && calendar) return `skipped: excluded by calendar ${calendar}`;
        return item.reason ? (REASONS[item.reason] ?? item.reason) : '';
      }
    }
  }

  protected kindLabel(item: OccurrenceItem): string | null {
    if (item.kind === 'backfill') return 'backfill';
    return item.kind === 'manual' ? 'manual' : item.kind === 'catch_up' ? 'catch-up' : null;
  }
}
