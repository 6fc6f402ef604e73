import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MAX_BACKFILL_OCCURRENCES } from '../../../../../contracts/limits';
import { type Problem, toProblem } from '../../api/problem';
import { instantToLocal, localToInstant } from '../task-form/task-form.model';
import type { BackfillResult } from '../task.model';
import { TasksApi } from '../tasks-api';

export interface BackfillDialogData {
  id: string;
  name: string;
}

const HOUR_MS = 3_600_000;

/**
 * Runs the past occurrences of a window of the task's schedule (POST /api/tasks/{id}/backfill). The
 * window is typed in the viewer's zone, like every instant the GUI asks for; the answer (how many were
 * scheduled, how many an earlier backfill already ran) or the server's refusal shows in the dialog.
 * Closes with the answer, so the page reads its write.
 */
@Component({
  selector: 'app-backfill-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>Backfill “{{ data.name }}”</h2>
    <mat-dialog-content>
      <p>
        Runs each occurrence of the schedule from <em>From</em> up to <em>To</em> that lies in the past, once,
        with its own due time, even while the task is paused. Occurrences backfilled before are not run again.
        At most {{ max }} per window.
      </p>
      <form id="backfill-form" class="window" (submit)="submit($event)">
        <mat-form-field appearance="outline">
          <mat-label>From</mat-label>
          <input
            matInput
            type="datetime-local"
            step="1"
            name="from"
            [value]="from()"
            (input)="from.set($any($event.target).value)"
            [attr.aria-invalid]="!!problem()?.fields?.['from']"
          />
          <mat-hint>In your zone ({{ zone }}), included</mat-hint>
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>To</mat-label>
          <input
            matInput
            type="datetime-local"
            step="1"
            name="to"
            [value]="to()"
            (input)="to.set($any($event.target).value)"
            [attr.aria-invalid]="!!problem()?.fields?.['to']"
          />
          <mat-hint>Excluded; later than now runs up to now</mat-hint>
        </mat-form-field>
      </form>
      @if (problem(); as problem) {
        <div class="problem" role="alert">
          <p>{{ problem.detail }}</p>
          @for (field of fieldsOf(problem); track field[0]) {
            <p class="field">
              <strong>{{ field[0] }}</strong>: {{ field[1] }}
            </p>
          }
        </div>
      }
      @if (result(); as result) {
        <p class="result" role="status">
          {{ result.scheduled }} past {{ result.scheduled === 1 ? 'occurrence' : 'occurrences' }} scheduled{{
            result.alreadyBackfilled ? ', ' + result.alreadyBackfilled + ' already backfilled before' : ''
          }}.
        </p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" (click)="close()">{{ result() ? 'Close' : 'Cancel' }}</button>
      <button mat-flat-button type="submit" form="backfill-form" [disabled]="busy()">Backfill</button>
    </mat-dialog-actions>
  `,
  styles: `
    .window {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
      gap: 0.5rem 1rem;
    }
    .problem {
      color: var(--mat-sys-error);
    }
    .problem p {
      margin: 0.25rem 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BackfillDialog {
  protected readonly data = inject<BackfillDialogData>(MAT_DIALOG_DATA);
  private readonly api = inject(TasksApi);
  private readonly dialog = inject<MatDialogRef<BackfillDialog, BackfillResult | undefined>>(MatDialogRef);

  protected readonly max = MAX_BACKFILL_OCCURRENCES.toLocaleString('en');
  protected readonly zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  /** The last hour by default: datetime-local values in the viewer's zone. */
  protected readonly to = signal(instantToLocal(new Date().toISOString()));
  protected readonly from = signal(instantToLocal(new Date(Date.now() - HOUR_MS).toISOString()));
  protected readonly busy = signal(false);
  protected readonly problem = signal<Problem | null>(null);
  protected readonly result = signal<BackfillResult | null>(null);

  protected submit(event: Event): void {
    event.preventDefault();
    const window = { from: localToInstant(this.from()), to: localToInstant(this.to()) };
    const missing = Object.entries(window).filter(([, value]) => value === undefined);
    if (missing.length > 0) {
      this.problem.set({
        status: 0,
        code: 'validation_failed',
        detail: 'Give both ends of the window.',
        fields: Object.fromEntries(missing.map(([field]) => [field, 'must be a date and time'])),
      });
      return;
    }
    this.busy.set(true);
    this.problem.set(null);
    this.api.backfill(this.data.id, window as { from: string; to: string }).subscribe({
      next: (result) => {
        this.busy.set(false);
        this.result.set(result);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.result.set(null);
        this.problem.set(toProblem(error));
      },
    });
  }

  protected fieldsOf(problem: Problem): [string, string][] {
    return Object.entries(problem.fields);
  }

  protected close(): void {
    this.dialog.close(this.result() ?? undefined);
  }
}
