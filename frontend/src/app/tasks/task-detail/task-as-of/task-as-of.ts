import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { forkJoin, of } from 'rxjs';
import { loadLatest } from '../../../api/loadable';
import { formatAbsolute } from '../../../time/instants';
import { TasksApi } from '../../tasks-api';
import { describeField } from './field-text';

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
  protected readonly state = loadLatest(toObservable(this.request), ({ id, revision }) =>
    forkJoin({
      task: this.api.asOf(id, revision),
      // Revision 0 registered the task: there is nothing before it to compare with.
      diff: revision > 0 ? this.api.diff(id, revision - 1, revision) : of(null),
    }),
  );
}
