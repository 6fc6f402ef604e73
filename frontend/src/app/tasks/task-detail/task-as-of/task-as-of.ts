import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { catchError, forkJoin, map, of, switchMap } from 'rxjs';
import { type Problem, toProblem } from '../../../api/problem';
import { formatAbsolute } from '../../../time/instants';
import type { TaskAsOf, TaskDiff } from '../../task.model';
import { TasksApi } from '../../tasks-api';
import { describeField } from './field-text';

type AsOfState =
  | { kind: 'loading' }
  | { kind: 'loaded'; task: TaskAsOf; diff: TaskDiff | null }
  | { kind: 'failed'; problem: Problem };

/**
 * The task as it was at one revision of its stream (definition, status, next due), folded by the
 * server from the event log, and what that revision changed in the definition, field by field.
 */
@Component({
  selector: 'app-task-as-of',
  imports: [MatButtonModule],
  templateUrl: './task-as-of.html',
  styleUrl: './task-as-of.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskAsOfPanel {
  private readonly api = inject(TasksApi);

  readonly taskId = input.required<string>();
  readonly revision = input.required<number>();
  /** "Back to now". */
  readonly closed = output();

  protected readonly describeField = describeField;
  protected readonly formatAbsolute = formatAbsolute;

  private readonly request = computed(() => ({ id: this.taskId(), revision: this.revision() }));
  protected readonly state = toSignal(
    toObservable(this.request).pipe(
      switchMap(({ id, revision }) =>
        forkJoin({
          task: this.api.asOf(id, revision),
          // Revision 0 registered the task: there is nothing before it to compare with.
          diff: revision > 0 ? this.api.diff(id, revision - 1, revision) : of(null),
        }).pipe(
          map(({ task, diff }): AsOfState => ({ kind: 'loaded', task, diff })),
          catchError((error: unknown) => of<AsOfState>({ kind: 'failed', problem: toProblem(error) })),
        ),
      ),
    ),
    { initialValue: { kind: 'loading' } },
  );
}
