import { type Signal, computed, inject } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { catchError, debounceTime, of, switchMap } from 'rxjs';
import { formatAbsolute } from '../../time/instants';
import { Now } from '../../time/now';
import type { Schedule } from '../task.model';
import { TasksApi } from '../tasks-api';

/**
 * The preview asks once typing pauses, and again every 10 s; it fetches more runs than it shows so that
 * runs the clock passes drop off in between (20 runs last 10 s even for a cron every second).
 */
const PREVIEW_DELAY_MS = 250;
const PREVIEW_REFRESH_MS = 10_000;
const PREVIEW_SHOWN = 5;
const PREVIEW_FETCHED = 20;

/** One coming run: in the zone the preview shows, and in the viewer's own. */
export interface PreviewRun {
  iso: string;
  inZone: string;
  local: string;
}

/**
 * The next runs of `schedule` (null while it is incomplete), as the server computes them (time zones,
 * daylight saving): asked again when the schedule changes and every PREVIEW_REFRESH_MS, while runs
 * already past drop off the list. Call it in an injection context (a field initializer).
 */
export function schedulePreview(
  schedule: Signal<Schedule | null>,
  zone: Signal<string>,
  /** The task's calendars: runs they exclude are left out, as the workers will skip them. */
  calendars: Signal<readonly string[]> = computed(() => []),
): Signal<PreviewRun[]> {
  const api = inject(TasksApi);
  const now = inject(Now);
  const upcoming = toSignal(
    toObservable(
      computed(
        () => ({
          schedule: schedule(),
          calendars: calendars(),
          tick: Math.floor(now.value() / PREVIEW_REFRESH_MS),
        }),
        { equal: (a, b) => JSON.stringify(a) === JSON.stringify(b) },
      ),
    ).pipe(
      debounceTime(PREVIEW_DELAY_MS),
      switchMap(({ schedule, calendars }) =>
        schedule
          ? api.previewSchedule(schedule, PREVIEW_FETCHED, calendars).pipe(catchError(() => of([])))
          : of([]),
      ),
    ),
    { initialValue: [] as string[] },
  );
  return computed(() => {
    const at = now.value();
    return upcoming()
      .filter((iso) => Date.parse(iso) > at)
      .slice(0, PREVIEW_SHOWN)
      .map((iso) => ({
        iso,
        inZone: formatAbsolute(Date.parse(iso), zone()),
        local: formatAbsolute(Date.parse(iso)),
      }));
  });
}
