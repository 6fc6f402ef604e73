import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { type FormArray, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TASK_LIMITS } from '../../../../../contracts/limits';
import { headerRow } from './task-form.model';

/**
 * Name/value rows of HTTP headers (the action's, the failure alert's): added and removed here, held to
 * the contract's count; each name's message comes from the form's `errorOf` at `{path}.{i}.name`.
 */
@Component({
  selector: 'app-header-rows',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @for (row of rows().controls; track row; let i = $index) {
      <div class="pair-row" [formGroup]="row" role="group" [attr.aria-label]="label() + ' ' + (i + 1)">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" autocomplete="off" spellcheck="false" />
          <mat-error>{{ errorOf()(path() + '.' + i + '.name') }}</mat-error>
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Value</mat-label>
          <input matInput formControlName="value" autocomplete="off" spellcheck="false" />
        </mat-form-field>
        <button
          mat-button
          type="button"
          (click)="remove(i)"
          [attr.aria-label]="'Remove ' + noun() + ' ' + (i + 1)"
        >
          Remove
        </button>
      </div>
    }
    @if (errorOf()(path()); as error) {
      <p class="field-error" role="alert">{{ error }}</p>
    }
    <button
      mat-stroked-button
      type="button"
      [disabled]="rows().length >= maxEntries"
      (click)="rows().push(newRow())"
    >
      Add {{ noun() }}
    </button>
  `,
})
export class HeaderRows {
  readonly rows = input.required<FormArray<ReturnType<typeof headerRow>>>();
  /** The form path of the rows, e.g. `http.headers`. */
  readonly path = input.required<string>();
  /** Names a row to assistive technology: `Header 1`, `Alert header 1`. */
  readonly label = input('Header');
  readonly errorOf = input.required<(path: string) => string>();

  protected readonly noun = computed(() => this.label().toLowerCase());
  protected readonly maxEntries = TASK_LIMITS.headers.maxEntries;
  protected readonly newRow = () => headerRow();

  protected remove(index: number): void {
    this.rows().removeAt(index);
  }
}
