import { Directive, input } from '@angular/core';

/** A number input's min and max attributes, from one of the contract's limits (TASK_LIMITS). */
@Directive({
  selector: 'input[type=number][appNumberLimits]',
  host: { '[attr.min]': 'appNumberLimits().minimum', '[attr.max]': 'appNumberLimits().maximum' },
})
export class NumberLimits {
  readonly appNumberLimits = input.required<{ readonly minimum: number; readonly maximum: number }>();
}
