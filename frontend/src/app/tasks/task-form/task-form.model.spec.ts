import {
  createTaskForm,
  cronExpressionValidator,
  controlForField,
  type SchedulePreviewer,
  enableChosenKinds,
  parseBody,
  toDefinition,
} from './task-form.model';
import { FormControl } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { type ValidationErrors } from '@angular/forms';
import { type Observable, firstValueFrom, of, throwError } from 'rxjs';
import { TASK_LIMITS } from '../../../../../contracts/limits';
import { DEFAULT_POLICIES } from '../../../testing/task-fixtures';

describe('task form model', () => {
  it('refuses a cron expression with the reason the server gives for its field, and only then', async () => {
    const refusing = (reason: string) => () =>
      throwError(
        () =>
          new HttpErrorResponse({
            status: 400,
            error: { code: 'validation_failed', errors: [{ field: 'schedule.expression', reason }] },
          }),
      );
    const check = (previewer: SchedulePreviewer) =>
      firstValueFrom(
        cronExpressionValidator(previewer)(
          new FormControl('* * *', { nonNullable: true }),
        ) as Observable<ValidationErrors | null>,
      );
    expect(await check(refusing('must have 5 fields'))).toEqual({ cron: 'must have 5 fields' });
    expect(await check(() => of(['2026-12-01T00:00:00Z']))).toBeNull();
    // The server could not be asked (offline, 503): the expression waits for the check on save.
    expect(await check(() => throwError(() => new HttpErrorResponse({ status: 0 })))).toBeNull();
  });

  it('holds every number and text to the server’s limits (contracts/limits.ts)', () => {
    const form = createTaskForm();
    const { retry, interval, http } = form.controls;
    const edges: [ReturnType<typeof form.get>, number | string, number | string][] = [
      [retry.controls.backoffMs, TASK_LIMITS.backoffMs.maximum, TASK_LIMITS.backoffMs.maximum + 1],
      [retry.controls.maxBackoffMs, TASK_LIMITS.maxBackoffMs.maximum, TASK_LIMITS.maxBackoffMs.maximum + 1],
      [retry.controls.maxAttempts, TASK_LIMITS.maxAttempts.minimum, TASK_LIMITS.maxAttempts.minimum - 1],
      [form.controls.timeoutMs, TASK_LIMITS.timeoutMs.maximum, TASK_LIMITS.timeoutMs.maximum + 1],
      [
        interval.controls.everySeconds,
        TASK_LIMITS.everySeconds.maximum,
        TASK_LIMITS.everySeconds.maximum + 1,
      ],
      [
        http.controls.url,
        `https://example.com/${'x'.repeat(TASK_LIMITS.url.maxLength - 20)}`,
        `https://example.com/${'x'.repeat(TASK_LIMITS.url.maxLength - 19)}`,
      ],
    ];
    for (const [control, inside, outside] of edges) {
      control!.setValue(inside);
      expect(control!.valid).toBe(true);
      control!.setValue(outside);
      expect(control!.valid).toBe(false);
    }
  });

  it('builds the request body of the chosen kinds only', () => {
    const form = createTaskForm();
    form.patchValue({ name: ' report ', scheduleKind: 'interval', actionKind: 'log' });
    form.controls.interval.patchValue({ everySeconds: 30 });
    form.controls.log.patchValue({ message: 'hello' });
    enableChosenKinds(form);
    expect(form.valid).toBe(true);
    expect(toDefinition(form.getRawValue())).toEqual({
      name: 'report',
      schedule: { kind: 'interval', everySeconds: 30 },
      action: { kind: 'log', message: 'hello' },
      ...DEFAULT_POLICIES,
    });
  });

  it('sends a JSON object body as JSON and anything else as text', () => {
    expect(parseBody('{"a":1}')).toEqual({ a: 1 });
    expect(parseBody('{not json')).toBe('{not json');
    expect(parseBody('plain')).toBe('plain');
    expect(parseBody('')).toBeUndefined();
  });

  it('finds the control a server error names', () => {
    const form = createTaskForm();
    expect(controlForField(form, 'schedule.expression')).toBe(form.controls.cron.controls.expression);
    expect(controlForField(form, 'action.url')).toBe(form.controls.http.controls.url);
    expect(controlForField(form, 'action.headers')).toBe(form.controls.http.controls.headers);
    expect(controlForField(form, 'retry.maxAttempts')).toBe(form.controls.retry.controls.maxAttempts);
    expect(controlForField(form, 'schedule')).toBeNull();
  });
});
