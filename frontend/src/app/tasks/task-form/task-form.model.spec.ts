import {
  createTaskForm,
  cronExpressionValidator,
  controlForField,
  type SchedulePreviewer,
  enableChosenKinds,
  headerRow,
  labelRow,
  parseBody,
  patchFromTask,
  sameDefinitionAndStatus,
  toChanges,
  toDefinition,
} from './task-form.model';
import { FormControl } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { type ValidationErrors } from '@angular/forms';
import { type Observable, firstValueFrom, of, throwError } from 'rxjs';
import { TASK_LIMITS } from '../../../../../contracts/limits';
import { DEFAULT_POLICIES, taskView } from '../../../testing/task-fixtures';

/** A valid form of a log task every interval: the base the field tests change one thing of. */
function logTask() {
  const form = createTaskForm();
  form.patchValue({ name: 'report', scheduleKind: 'interval', actionKind: 'log' });
  form.controls.log.patchValue({ message: 'hello' });
  enableChosenKinds(form);
  return form;
}

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
    expect(controlForField(form, 'onFailure.url')).toBe(form.controls.onFailure.controls.url);
  });

  describe('concurrency', () => {
    it('sends { key, limit } when a key is given, and nothing without one', () => {
      const form = logTask();
      expect(form.valid).toBe(true);
      expect(toDefinition(form.getRawValue())).not.toHaveProperty('concurrency');
      form.controls.concurrency.setValue({ key: ' billing-db ', limit: 2 });
      expect(form.valid).toBe(true);
      expect(toDefinition(form.getRawValue()).concurrency).toEqual({ key: 'billing-db', limit: 2 });
    });

    it('refuses a bad key, a limit without a key, and a key without a limit within 1 to 1000', () => {
      const form = logTask();
      const { key, limit } = form.controls.concurrency.controls;
      const errors = (value: { key: string; limit: number | null }) => {
        form.controls.concurrency.setValue(value);
        return [key.errors?.['concurrency'] ?? null, limit.errors?.['concurrency'] ?? null];
      };
      expect(errors({ key: 'billing db', limit: 1 })[0]).toMatch(/Letters, digits/);
      expect(errors({ key: 'a'.repeat(TASK_LIMITS.concurrency.keyMaxLength + 1), limit: 1 })[0]).toMatch(
        /At most/,
      );
      expect(errors({ key: '', limit: 3 })[1]).toBe('Give a key for this limit');
      for (const bad of [null, 0, 1001, 1.5])
        expect(errors({ key: 'billing-db', limit: bad })[1]).toBe('A whole number from 1 to 1000');
      expect(errors({ key: 'billing-db', limit: 1000 })).toEqual([null, null]);
    });

    it('fills the fields from the task', () => {
      const form = createTaskForm();
      patchFromTask(form, taskView({ concurrency: { key: 'billing-db', limit: 3 } }));
      expect(form.controls.concurrency.getRawValue()).toEqual({ key: 'billing-db', limit: 3 });
    });

    it('an edit that clears the key sends `concurrency: null`, which removes the limit', () => {
      const form = createTaskForm();
      const task = taskView({ concurrency: { key: 'billing-db', limit: 3 } });
      patchFromTask(form, task);
      expect(toChanges(form.getRawValue(), task).concurrency).toEqual({ key: 'billing-db', limit: 3 });
      form.controls.concurrency.setValue({ key: '', limit: null });
      expect(toChanges(form.getRawValue(), task).concurrency).toBeNull();
      expect(toChanges(form.getRawValue(), taskView())).not.toHaveProperty('concurrency');
    });
  });

  describe('labels', () => {
    it('sends the rows as `labels`, trimmed, and none when there is no row', () => {
      const form = logTask();
      expect(toDefinition(form.getRawValue())).not.toHaveProperty('labels');
      form.controls.labels.push(labelRow(' team ', 'billing'));
      form.controls.labels.push(labelRow('env', 'prod '));
      form.controls.labels.push(labelRow('example.com/tier', ''));
      expect(form.valid).toBe(true);
      expect(toDefinition(form.getRawValue()).labels).toEqual({
        team: 'billing',
        env: 'prod',
        'example.com/tier': '',
      });
    });

    it('refuses a bad key or value, as the contract’s patterns and lengths say', () => {
      const keyOk = (key: string) => labelRow(key, 'v').controls.key.valid;
      const valueOk = (value: string) => labelRow('k', value).controls.value.valid;
      expect(keyOk('team')).toBe(true);
      expect(keyOk('a'.repeat(TASK_LIMITS.labels.keyMaxLength))).toBe(true);
      for (const bad of [
        '',
        'team:x',
        '-team',
        'team-',
        'has space',
        'a'.repeat(TASK_LIMITS.labels.keyMaxLength + 1),
      ])
        expect(keyOk(bad)).toBe(false);
      expect(valueOk('')).toBe(true);
      expect(valueOk('prod-1.2')).toBe(true);
      for (const bad of ['a/b', 'x:y', '.prod', 'a'.repeat(TASK_LIMITS.labels.valueMaxLength + 1)])
        expect(valueOk(bad)).toBe(false);
      expect(labelRow('team:x').controls.key.errors).toEqual({ label: expect.stringContaining('A key is') });
    });

    it('refuses a key used twice, and more labels than the limit', () => {
      const form = logTask();
      form.controls.labels.push(labelRow('team', 'billing'));
      form.controls.labels.push(labelRow(' team', 'search'));
      expect(form.valid).toBe(false);
      expect(form.controls.labels.errors).toEqual({ label: 'The key “team” is used twice' });
      form.controls.labels.removeAt(1);
      expect(form.valid).toBe(true);
      for (let i = 0; i < TASK_LIMITS.labels.maxEntries; i++)
        form.controls.labels.push(labelRow(`k${i}`, 'v'));
      expect(form.controls.labels.errors).toEqual({
        label: `At most ${TASK_LIMITS.labels.maxEntries} labels`,
      });
    });

    it('fills the rows from the task, and an edit that removes them all sends `labels: {}`', () => {
      const form = createTaskForm();
      const task = taskView({ labels: { team: 'billing', env: 'prod' } });
      patchFromTask(form, task);
      expect(form.controls.labels.getRawValue()).toEqual([
        { key: 'team', value: 'billing' },
        { key: 'env', value: 'prod' },
      ]);
      expect(toChanges(form.getRawValue(), task).labels).toEqual({ team: 'billing', env: 'prod' });
      form.controls.labels.clear();
      expect(toChanges(form.getRawValue(), task).labels).toEqual({});
      expect(toChanges(form.getRawValue(), taskView())).not.toHaveProperty('labels');
    });

    it('counts a change of labels as a change of the definition', () => {
      const before = taskView({ labels: { team: 'billing' } });
      expect(sameDefinitionAndStatus(before, taskView({ labels: { team: 'billing' }, revision: 9 }))).toBe(
        true,
      );
      expect(sameDefinitionAndStatus(before, taskView({ labels: { team: 'search' } }))).toBe(false);
      expect(sameDefinitionAndStatus(before, taskView())).toBe(false);
    });
  });

  describe('jitter', () => {
    it('holds it to the contract’s bounds in whole ms', () => {
      const { jitterMs } = createTaskForm().controls;
      for (const [value, valid] of [
        [0, true],
        [TASK_LIMITS.jitterMs.maximum, true],
        [TASK_LIMITS.jitterMs.maximum + 1, false],
        [-1, false],
        [1.5, false],
      ] as const) {
        jitterMs.setValue(value);
        expect(jitterMs.valid).toBe(valid);
      }
    });

    it('sends it when set, fills it from the task, and an edit that sets 0 sends `jitterMs: 0`', () => {
      const form = createTaskForm();
      expect(toDefinition(form.getRawValue())).not.toHaveProperty('jitterMs');
      const task = taskView({ jitterMs: 3000 });
      patchFromTask(form, task);
      expect(form.controls.jitterMs.value).toBe(3000);
      expect(toChanges(form.getRawValue(), task).jitterMs).toBe(3000);
      form.controls.jitterMs.setValue(0);
      expect(toChanges(form.getRawValue(), task).jitterMs).toBe(0);
      expect(toChanges(form.getRawValue(), taskView())).not.toHaveProperty('jitterMs');
    });
  });

  describe('alert on failure', () => {
    it('sends no alert while its URL is empty, and the URL with its header rows once filled in', () => {
      const form = createTaskForm();
      expect(toDefinition(form.getRawValue())).not.toHaveProperty('onFailure');
      form.controls.onFailure.controls.url.setValue(' https://alerts.example.com/k ');
      expect(toDefinition(form.getRawValue()).onFailure).toEqual({
        kind: 'http',
        url: 'https://alerts.example.com/k',
      });
      form.controls.onFailure.controls.headers.push(headerRow('X-Team', 'ops'));
      expect(toDefinition(form.getRawValue()).onFailure).toEqual({
        kind: 'http',
        url: 'https://alerts.example.com/k',
        headers: { 'X-Team': 'ops' },
      });
    });

    it('refuses a URL that is not http(s), and accepts none', () => {
      const { url } = createTaskForm().controls.onFailure.controls;
      expect(url.valid).toBe(true);
      url.setValue('ftp://example.com/');
      expect(url.errors).toEqual({ url: true });
      url.setValue('https://example.com/');
      expect(url.valid).toBe(true);
    });

    it('fills the alert from the task, and an edit that clears its URL sends `onFailure: null`', () => {
      const form = createTaskForm();
      const onFailure = { kind: 'http' as const, url: 'https://a.example.com/', headers: { A: 'b' } };
      const task = taskView({ onFailure });
      patchFromTask(form, task);
      expect(form.controls.onFailure.getRawValue()).toEqual({
        url: 'https://a.example.com/',
        headers: [{ name: 'A', value: 'b' }],
      });
      expect(toChanges(form.getRawValue(), task).onFailure).toEqual(onFailure);
      form.controls.onFailure.controls.url.setValue('');
      expect(toChanges(form.getRawValue(), task).onFailure).toBeNull();
      expect(toChanges(form.getRawValue(), taskView())).not.toHaveProperty('onFailure');
    });
  });
});
