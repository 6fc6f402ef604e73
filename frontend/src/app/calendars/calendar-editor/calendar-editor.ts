import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import type { Observable } from 'rxjs';
import { CALENDAR_LIMITS } from '../../../../../contracts/limits';
import { type Problem, toProblem } from '../../api/problem';
import { timeZones, viewerTimeZone } from '../../tasks/task-form/time-zones';
import { CalendarsApi, type CommandResult } from '../calendars-api';
import { daysInMonth, excludedDaysOfMonth, type MonthRef, weekdayOf } from '../excluded-days';
import { EXCLUSION_KINDS, type ExclusionRow, emptyRow, toExclusion, toRow } from './exclusion-rows';

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

interface DayCell {
  day: number;
  excluded: boolean;
  label: string;
}

/**
 * Creates or edits a calendar: name, zone, exclusion rows of the three kinds, and a month view that
 * marks each day any row excludes (computed here, so it follows unsaved rows). Saves with If-Match.
 */
@Component({
  selector: 'app-calendar-editor',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  templateUrl: './calendar-editor.html',
  styleUrl: './calendar-editor.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CalendarEditor {
  private readonly api = inject(CalendarsApi);
  private readonly router = inject(Router);
  /** The route's `:id`; absent for a new calendar. */
  readonly id = input<string | undefined>();

  protected readonly kinds = EXCLUSION_KINDS;
  protected readonly zones = timeZones();
  protected readonly maxRows = CALENDAR_LIMITS.exclusions.maxItems;
  protected readonly name = signal('');
  protected readonly timezone = signal(viewerTimeZone());
  protected readonly rows = signal<ExclusionRow[]>([]);
  protected readonly revision = signal<number | null>(null);
  protected readonly problem = signal<Problem | null>(null);
  protected readonly saving = signal(false);
  protected readonly loaded = signal(false);
  protected readonly month = signal<MonthRef>(currentMonth());

  protected readonly monthTitle = computed(
    () => `${MONTH_NAMES[this.month().month - 1]} ${this.month().year}`,
  );
  /** Blank cells before the 1st (weeks start on Monday), then the month's days. */
  protected readonly leadingBlanks = computed(() => {
    const { year, month } = this.month();
    return Array.from({ length: (weekdayOf(year, month, 1) + 6) % 7 }, (_, i) => i);
  });
  protected readonly days = computed<DayCell[]>(() => {
    const { year, month } = this.month();
    const excluded = excludedDaysOfMonth(this.rows().map(toExclusion), this.timezone(), { year, month });
    return Array.from({ length: daysInMonth(year, month) }, (_, i) => {
      const day = i + 1;
      const marked = excluded.has(day);
      return {
        day,
        excluded: marked,
        label: `${day} ${MONTH_NAMES[month - 1]} ${year}${marked ? ', excluded' : ''}`,
      };
    });
  });

  constructor() {
    effect(() => {
      const id = this.id();
      if (!id) {
        this.loaded.set(true);
        return;
      }
      this.api.get(id).subscribe({
        next: (calendar) => {
          this.name.set(calendar.name);
          this.timezone.set(calendar.timezone);
          this.rows.set(calendar.exclude.map(toRow));
          this.revision.set(calendar.revision);
          this.loaded.set(true);
        },
        error: (error: unknown) => this.problem.set(toProblem(error)),
      });
    });
  }

  protected addRow(kind: ExclusionRow['kind'] = 'date'): void {
    this.rows.update((rows) => [...rows, emptyRow(kind)]);
  }

  protected removeRow(index: number): void {
    this.rows.update((rows) => rows.filter((_, i) => i !== index));
  }

  protected setRow(index: number, changes: Partial<ExclusionRow>): void {
    this.rows.update((rows) => rows.map((row, i) => (i === index ? { ...row, ...changes } : row)));
  }

  protected shiftMonth(by: number): void {
    this.month.update(({ year, month }) => {
      const index = year * 12 + (month - 1) + by;
      return { year: Math.floor(index / 12), month: (index % 12) + 1 };
    });
  }

  /** The server's reason for a field (`exclude[2].cron`), if the last save was refused for it. */
  protected fieldError(field: string): string | null {
    const fields = this.problem()?.fields ?? {};
    const entries = Object.entries(fields).filter(([name]) => name === field || name.startsWith(`${field}.`));
    return entries.length ? entries.map(([, reason]) => reason).join('; ') : null;
  }

  protected save(): void {
    const definition = {
      name: this.name().trim(),
      timezone: this.timezone().trim(),
      exclude: this.rows().map(toExclusion),
    };
    const id = this.id();
    const revision = this.revision();
    this.submit(
      id && revision !== null ? this.api.update(id, definition, revision) : this.api.create(definition),
    );
  }

  protected remove(): void {
    const id = this.id();
    const revision = this.revision();
    if (!id || revision === null) return;
    this.submit(this.api.delete(id, revision));
  }

  private submit(command: Observable<CommandResult>): void {
    this.saving.set(true);
    this.problem.set(null);
    command.subscribe({
      next: (result) => {
        this.saving.set(false);
        void this.router.navigate(['/calendars'], { queryParams: { minPosition: result.position } });
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.problem.set(toProblem(error));
      },
    });
  }
}

function currentMonth(): MonthRef {
  const now = new Date();
  return { year: now.getFullYear(), month: now.getMonth() + 1 };
}
