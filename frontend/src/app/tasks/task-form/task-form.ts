import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { HttpErrorResponse } from '@angular/common/http';
import { type Observable, catchError, map, of, startWith, switchMap } from 'rxjs';
import { CalendarsApi, type CalendarView } from '../../calendars/calendars-api';
import { type Problem, toProblem } from '../../api/problem';
import { describeCron, describeSeconds } from '../schedule-text';
import { type CommandResult, HTTP_METHODS, type TaskChanges, type TaskView } from '../task.model';
import { TASK_DEFAULTS, TASK_LIMITS } from '../../../../../contracts/limits';
import { TasksApi } from '../tasks-api';
import { HeaderRows } from './header-rows';
import { NumberLimits } from './number-limits';
import { schedulePreview } from './schedule-preview';
import { timeZones, viewerTimeZone } from './time-zones';
import {
  controlForField,
  createTaskForm,
  cronExpressionValidator,
  enableChosenKinds,
  labelRow,
  patchFromTask,
  sameDefinitionAndStatus,
  scheduleOf,
  toChanges,
  toDefinition,
} from './task-form.model';

interface Conflict {
  detail: string;
}

/** Create (`tasks/new`) and edit (`tasks/:id/edit`) a task. Errors from the server land at their field. */
@Component({
  selector: 'app-task-form',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatAutocompleteModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatExpansionModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    HeaderRows,
    NumberLimits,
  ],
  templateUrl: './task-form.html',
  styleUrl: './task-form.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskForm {
  private readonly api = inject(TasksApi);
  private readonly router = inject(Router);

  /** The task to edit (route parameter); absent when creating. */
  readonly id = input<string>();

  protected readonly form = createTaskForm();
  protected readonly methods = HTTP_METHODS;
  protected readonly defaults = TASK_DEFAULTS;
  protected readonly limits = TASK_LIMITS;
  protected readonly viewerZone = viewerTimeZone();
  protected readonly headers = this.form.controls.http.controls.headers;
  protected readonly labels = this.form.controls.labels;
  protected readonly alertHeaders = this.form.controls.onFailure.controls.headers;
  /** A cron schedule's optional bounds, entered in the viewer's zone. */
  protected readonly cronBounds = [
    { control: 'startAt', label: 'Start (optional)' },
    { control: 'endAt', label: 'End (optional)' },
  ] as const;

  protected readonly loaded = signal<TaskView | null>(null);
  protected readonly loadProblem = signal<Problem | null>(null);
  protected readonly saving = signal(false);
  protected readonly problem = signal<Problem | null>(null);
  /** Fields the server refused that no control shows: listed in the summary. */
  protected readonly unplacedErrors = signal<{ field: string; reason: string }[]>([]);
  protected readonly conflict = signal<Conflict | null>(null);

  private readonly value = toSignal(
    this.form.valueChanges.pipe(
      startWith(null),
      map(() => this.form.getRawValue()),
    ),
    { requireSync: true },
  );

  protected readonly editing = computed(() => this.id() !== undefined);
  protected readonly cronDescription = computed(() => describeCron(this.value().cron.expression.trim()));
  protected readonly intervalText = computed(() => {
    const seconds = Number(this.value().interval.everySeconds);
    return Number.isInteger(seconds) && seconds >= 1 ? `every ${describeSeconds(seconds)}` : '';
  });
  protected readonly zoneOptions = computed(() => {
    const typed = this.value().cron.timezone.toLowerCase().replace(/\s+/g, '_');
    const all = timeZones();
    const matching = typed ? all.filter((zone) => zone.toLowerCase().includes(typed)) : all;
    return matching.slice(0, 50);
  });
  /** Shown zone of the preview: the cron's own; interval and once have none, so the viewer's. */
  protected readonly previewZone = computed(() =>
    this.value().scheduleKind === 'cron' ? this.value().cron.timezone : this.viewerZone,
  );
  /** The schedule to preview: null while it is incomplete. */
  private readonly scheduleShown = computed(
    () => {
      const value = this.value();
      if (value.scheduleKind === 'cron' && this.form.controls.cron.invalid) return null;
      try {
        return scheduleOf(value);
      } catch {
        return null;
      }
    },
    { equal: (a, b) => JSON.stringify(a) === JSON.stringify(b) },
  );
  /** The calendars a task may name (the Calendars page makes them). */
  protected readonly calendarOptions = toSignal(
    inject(CalendarsApi)
      .list()
      .pipe(catchError(() => of([] as CalendarView[]))),
    { initialValue: [] as CalendarView[] },
  );
  private readonly calendarsChosen = computed(() => this.value().calendars, {
    equal: (a, b) => a.join() === b.join(),
  });
  protected readonly preview = schedulePreview(this.scheduleShown, this.previewZone, this.calendarsChosen);

  constructor() {
    this.form.controls.cron.controls.expression.addAsyncValidators(
      cronExpressionValidator((schedule, count) => this.api.previewSchedule(schedule, count)),
    );
    enableChosenKinds(this.form);
    this.form.controls.scheduleKind.valueChanges.subscribe(() => enableChosenKinds(this.form));
    this.form.controls.actionKind.valueChanges.subscribe(() => enableChosenKinds(this.form));
    effect(() => {
      const id = this.id();
      if (id) this.load(id);
    });
  }

  protected load(id: string): void {
    this.conflict.set(null);
    this.api.get(id).subscribe({
      next: (task) => {
        this.loaded.set(task);
        patchFromTask(this.form, task);
        this.form.markAsPristine();
      },
      error: (error: unknown) => this.loadProblem.set(toProblem(error)),
    });
  }

  protected addLabel(): void {
    this.labels.push(labelRow());
  }

  protected removeLabel(index: number): void {
    this.labels.removeAt(index);
  }

  protected save(): void {
    this.problem.set(null);
    this.unplacedErrors.set([]);
    // While the cron check is pending the form is not `invalid`; labels are checked anyway, since a key
    // used twice would otherwise be sent as one label without a word from the server, and so is the
    // concurrency limit (a limit without a key would be dropped without a word).
    if (this.form.invalid || this.labels.invalid || this.form.controls.concurrency.invalid) {
      this.form.markAllAsTouched();
      this.focusFirstInvalid();
      return;
    }
    const value = this.form.getRawValue();
    const task = this.loaded();
    this.saving.set(true);
    const request =
      task && this.editing()
        ? this.updateTask(task, toChanges(value, task))
        : this.api.create(toDefinition(value));
    request.subscribe({
      next: (result) => {
        this.saving.set(false);
        this.form.markAsPristine();
        void this.router.navigate(['/tasks', result.id], { state: { minPosition: result.position } });
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.showProblem(toProblem(error));
      },
    });
  }

  /**
   * PATCH with the revision the form was loaded at. The revision also counts each run of the task, so a
   * task firing every few seconds is always "changed since loaded"; only when its definition or status
   * really changed is that a conflict to show. Otherwise retry at the latest revision (a few times).
   */
  private updateTask(task: TaskView, changes: TaskChanges, attemptsLeft = 3): Observable<CommandResult> {
    return this.api.update(task.id, changes, task.revision).pipe(
      catchError((error: unknown) => {
        if (!(error instanceof HttpErrorResponse) || error.status !== 412 || attemptsLeft <= 1) throw error;
        return this.api.get(task.id).pipe(
          switchMap((latest) => {
            if (!sameDefinitionAndStatus(task, latest)) throw error;
            this.loaded.set(latest);
            return this.updateTask(latest, changes, attemptsLeft - 1);
          }),
        );
      }),
    );
  }

  private showProblem(problem: Problem): void {
    if (problem.status === 412) {
      this.conflict.set({ detail: problem.detail });
      return;
    }
    this.problem.set(problem);
    const unplaced: { field: string; reason: string }[] = [];
    for (const [field, reason] of Object.entries(problem.fields)) {
      const control = controlForField(this.form, field);
      if (control) {
        control.setErrors({ ...control.errors, server: reason });
        control.markAsTouched();
      } else {
        unplaced.push({ field, reason });
      }
    }
    this.unplacedErrors.set(unplaced);
    this.focusFirstInvalid();
  }

  /** Focuses the first field (input, text area or select) whose control is invalid. */
  private focusFirstInvalid(): void {
    setTimeout(() =>
      document.querySelector<HTMLElement>('app-task-form .ng-invalid:is([matInput], mat-select)')?.focus(),
    );
  }

  /** The message under a field: the server's reason first, then the form's own checks. */
  protected readonly errorOf = (path: string): string => {
    const errors = this.form.get(path)?.errors;
    if (!errors) return '';
    if (typeof errors['server'] === 'string') return errors['server'];
    if (typeof errors['cron'] === 'string') return errors['cron'];
    if (typeof errors['timezone'] === 'string') return errors['timezone'];
    if (typeof errors['label'] === 'string') return errors['label'];
    if (typeof errors['concurrency'] === 'string') return errors['concurrency'];
    if (errors['required']) return 'Required';
    if (errors['url']) return 'An absolute http:// or https:// URL';
    if (errors['min']) return `At least ${(errors['min'] as { min: number }).min}`;
    if (errors['max']) return `At most ${(errors['max'] as { max: number }).max}`;
    if (errors['maxlength'])
      return `At most ${(errors['maxlength'] as { requiredLength: number }).requiredLength} characters`;
    if (errors['pattern']) return 'Not allowed here';
    return 'Invalid';
  };
}
