import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { loadLatest } from '../../api/loadable';
import { CalendarsApi, type CalendarView } from '../calendars-api';

/** "3 exclusions" (or "no exclusions"): a row's summary. */
export function exclusionCount(calendar: Pick<CalendarView, 'exclude'>): string {
  const n = calendar.exclude.length;
  return n === 0 ? 'no exclusions' : `${n} ${n === 1 ? 'exclusion' : 'exclusions'}`;
}

/** The calendars: each links to its editor; tasks name them in their form. */
@Component({
  selector: 'app-calendar-list',
  imports: [RouterLink, MatButtonModule, MatProgressBarModule],
  template: `
    <header class="page-header">
      <h1>Calendars</h1>
      <a mat-flat-button routerLink="/calendars/new">New calendar</a>
    </header>
    <p class="intro">
      A calendar lists periods (days, ranges, cron expressions) in which the tasks that name it do not fire:
      their occurrences are skipped and recorded with reason <code>calendar</code>.
    </p>
    @switch (calendars().kind) {
      @case ('loading') {
        <mat-progress-bar mode="indeterminate" aria-label="Loading calendars" />
      }
      @case ('failed') {
        <p role="alert">Could not load the calendars: {{ problemDetail() }}</p>
      }
      @case ('loaded') {
        @if (items().length === 0) {
          <p class="empty">No calendars yet.</p>
        } @else {
          <table class="calendars">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Time zone</th>
                <th scope="col">Excludes</th>
              </tr>
            </thead>
            <tbody>
              @for (calendar of items(); track calendar.id) {
                <tr>
                  <td>
                    <a [routerLink]="['/calendars', calendar.id]">{{ calendar.name }}</a>
                  </td>
                  <td>{{ calendar.timezone }}</td>
                  <td>{{ count(calendar) }}</td>
                </tr>
              }
            </tbody>
          </table>
        }
      }
    }
  `,
  styles: `
    .page-header {
      display: flex;
      align-items: center;
      justify-content: space-between;
    }
    table.calendars {
      border-collapse: collapse;
      width: 100%;
    }
    th,
    td {
      text-align: left;
      padding: 8px;
      border-bottom: 1px solid rgba(0, 0, 0, 0.12);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CalendarList {
  private readonly api = inject(CalendarsApi);
  /** ?minPosition= after a save: the list then shows it (read-your-writes). */
  readonly minPosition = input<string | undefined>();
  protected readonly calendars = loadLatest(toObservable(this.minPosition), (position) =>
    this.api.list(position === undefined ? undefined : Number(position)),
  );
  protected readonly count = exclusionCount;

  protected items(): CalendarView[] {
    const state = this.calendars();
    return state.kind === 'loaded' ? state.value : [];
  }

  protected problemDetail(): string {
    const state = this.calendars();
    return state.kind === 'failed' ? state.problem.detail : '';
  }
}
