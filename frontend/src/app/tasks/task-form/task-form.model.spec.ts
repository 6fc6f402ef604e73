import {
  createTaskForm,
  cronExpressionValidator,
  controlForField,
  enableChosenKinds,
  parseBody,
  toDefinition,
} from './task-form.model';
import { FormControl } from '@angular/forms';
import { previewOccurrences } from './schedule-preview';

describe('task form model', () => {
  it('refuses a cron expression the server would refuse, with the server’s reason', () => {
    expect(cronExpressionValidator(new FormControl('*/2 * * * * *', { nonNullable: true }))).toBeNull();
    const errors = cronExpressionValidator(new FormControl('* * *', { nonNullable: true }));
    expect(errors?.['cron']).toContain('5 fields');
    expect(
      cronExpressionValidator(new FormControl('61 * * * *', { nonNullable: true }))?.['cron'],
    ).toBeTruthy();
  });

  it('previews occurrences with the server’s daylight-saving rule (a gap time runs once, shifted)', () => {
    // 2026-03-29 Europe/Berlin jumps 02:00 → 03:00: 02:30 does not exist and runs at 03:30 (ADR 004).
    const runs = previewOccurrences(
      { kind: 'cron', expression: '30 2 * * *', timezone: 'Europe/Berlin' },
      new Date('2026-03-28T00:00:00Z'),
      3,
    );
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
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
      retry: { maxAttempts: 3, backoffMs: 1000, backoffFactor: 2, maxBackoffMs: 300000 },
      timeoutMs: 30000,
      overlap: 'skip',
      misfire: 'fire_once',
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
