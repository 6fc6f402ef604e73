import {
  FormArray,
  FormControl,
  FormGroup,
  Validators,
  type AbstractControl,
  type AsyncValidatorFn,
  type ValidationErrors,
} from '@angular/forms';
import {
  CONCURRENCY_KEY_PATTERN,
  CALENDAR_LIMITS,
  HEADER_NAME_PATTERN,
  TASK_DEFAULTS,
  TASK_LIMITS,
} from '../../../../../contracts/limits';
import {
  type Action,
  type HttpMethod,
  type JsonValue,
  type MisfirePolicy,
  type OverlapPolicy,
  type Schedule,
  type TaskChanges,
  type TaskDefinition,
  type TaskView,
  REMOVED_VALUES,
  TASK_DEFINITION_FIELDS,
} from '../task.model';
import { type Observable, catchError, map, of, switchMap, timer } from 'rxjs';
import { toProblem } from '../../api/problem';
import { isTimeZone, viewerTimeZone } from './time-zones';
import { labelKeyError, labelValueError } from '../labels';

export type ScheduleKind = Schedule['kind'];
export type ActionKind = Action['kind'];

const control = <T>(value: T, validators: ((c: AbstractControl) => ValidationErrors | null)[] = []) =>
  new FormControl<T>(value, { nonNullable: true, validators });

/** Required, and within the server's bounds for the field (contracts/limits.ts). */
const bounded = (limits: { minimum: number; maximum: number }) => [
  Validators.required,
  Validators.min(limits.minimum),
  Validators.max(limits.maximum),
];

/** Asks the server for a schedule's next runs; refuses with its problem+json when it is not valid. */
export type SchedulePreviewer = (schedule: Schedule, count: number) => Observable<unknown>;

/** Waits for typing to pause before asking the server about a cron expression. */
const CRON_CHECK_DELAY_MS = 300;

/**
 * The cron expression must be one the server accepts, and the message is the server's own: it checks
 * the expression through the preview route. Only a 400 that names the field refuses it; when the
 * server cannot be asked, the expression is left to the server's check on save.
 */
export function cronExpressionValidator(preview: SchedulePreviewer): AsyncValidatorFn {
  return (c: AbstractControl<string>) =>
    timer(CRON_CHECK_DELAY_MS).pipe(
      switchMap(() => preview({ kind: 'cron', expression: c.value.trim(), timezone: 'UTC' }, 1)),
      map(() => null),
      catchError((error: unknown) => {
        const reason = toProblem(error).fields['schedule.expression'];
        return of(reason ? { cron: reason } : null);
      }),
    );
}

export function timeZoneValidator(c: AbstractControl<string>): ValidationErrors | null {
  return isTimeZone(c.value) ? null : { timezone: 'Choose a time zone from the list, e.g. Europe/Berlin' };
}

function urlValidator(c: AbstractControl<string>): ValidationErrors | null {
  try {
    const { protocol } = new URL(c.value);
    return protocol === 'http:' || protocol === 'https:' ? null : { url: true };
  } catch {
    return { url: true };
  }
}

/** Optional: empty, or an absolute http(s) URL. */
function optionalUrlValidator(c: AbstractControl<string>): ValidationErrors | null {
  return c.value.trim() === '' ? null : urlValidator(c);
}

export function headerRow(name = '', value = '') {
  return new FormGroup({
    name: control(name, [Validators.required, Validators.pattern(new RegExp(HEADER_NAME_PATTERN))]),
    value: control(value),
  });
}

/** One label of the task: key and value held to the contract's patterns and lengths (contracts/limits.ts). */
export function labelRow(key = '', value = '') {
  return new FormGroup({
    key: control(key, [(c: AbstractControl<string>) => errorText(labelKeyError(c.value.trim()))]),
    value: control(value, [(c: AbstractControl<string>) => errorText(labelValueError(c.value.trim()))]),
  });
}

const errorText = (reason: string | null): ValidationErrors | null => (reason ? { label: reason } : null);

/** A key names one label only, and a task has at most TASK_LIMITS.labels.maxEntries (the form stops adding). */
function labelsValidator(c: AbstractControl): ValidationErrors | null {
  const rows = (c as FormArray<ReturnType<typeof labelRow>>).getRawValue();
  if (rows.length > TASK_LIMITS.labels.maxEntries)
    return { label: `At most ${TASK_LIMITS.labels.maxEntries} labels` };
  const seen = new Set<string>();
  for (const { key } of rows) {
    const trimmed = key.trim();
    if (trimmed && seen.has(trimmed)) return { label: `The key “${trimmed}” is used twice` };
    seen.add(trimmed);
  }
  return null;
}

const CONCURRENCY_KEY = new RegExp(CONCURRENCY_KEY_PATTERN);

/** A concurrency key: optional (no limit), else like a label value and not empty (contracts/limits.ts). */
function concurrencyKeyValidator(c: AbstractControl<string>): ValidationErrors | null {
  const key = c.value.trim();
  if (!key) return null;
  if (key.length > TASK_LIMITS.concurrency.keyMaxLength)
    return { concurrency: `At most ${TASK_LIMITS.concurrency.keyMaxLength} characters` };
  return CONCURRENCY_KEY.test(key)
    ? null
    : { concurrency: 'Letters, digits, . _ - (starting and ending with a letter or digit)' };
}

/** The limit goes with a key, and only with one: from 1 to 1000. */
function concurrencyLimitValidator(c: AbstractControl<number | null>): ValidationErrors | null {
  const key = (c.parent?.get('key')?.value as string | undefined)?.trim() ?? '';
  const empty = c.value === null || (c.value as unknown) === '';
  const { minimum, maximum } = TASK_LIMITS.concurrency.limit;
  if (!key) return empty ? null : { concurrency: 'Give a key for this limit' };
  const limit = Number(c.value);
  if (empty || !Number.isInteger(limit) || limit < minimum || limit > maximum)
    return { concurrency: `A whole number from ${minimum} to ${maximum}` };
  return null;
}

function concurrencyGroup() {
  const group = new FormGroup({
    key: control('', [concurrencyKeyValidator]),
    limit: new FormControl<number | null>(null, { validators: [concurrencyLimitValidator] }),
  });
  group.controls.key.valueChanges.subscribe(() =>
    group.controls.limit.updateValueAndValidity({ emitEvent: false }),
  );
  return group;
}

export function createTaskForm() {
  return new FormGroup({
    name: control('', [Validators.required, Validators.maxLength(TASK_LIMITS.name.maxLength)]),
    description: control('', [Validators.maxLength(TASK_LIMITS.description.maxLength)]),
    scheduleKind: control<ScheduleKind>('cron'),
    cron: new FormGroup({
      expression: control('0 */5 * * * *', [
        Validators.required,
        Validators.maxLength(TASK_LIMITS.cronExpression.maxLength),
      ]),
      timezone: control(viewerTimeZone(), [timeZoneValidator]),
      startAt: control(''),
      endAt: control(''),
    }),
    interval: new FormGroup({
      everySeconds: control(60, [...bounded(TASK_LIMITS.everySeconds), Validators.pattern(/^\d+$/)]),
      startAt: control(''),
    }),
    once: new FormGroup({ at: control('', [Validators.required]) }),
    actionKind: control<ActionKind>('http'),
    http: new FormGroup({
      method: control<HttpMethod>('POST'),
      url: control('', [Validators.required, Validators.maxLength(TASK_LIMITS.url.maxLength), urlValidator]),
      headers: new FormArray<ReturnType<typeof headerRow>>([]), // at most TASK_LIMITS.headers: the form stops adding
      body: control(''),
    }),
    log: new FormGroup({
      message: control('', [Validators.required, Validators.maxLength(TASK_LIMITS.logMessage.maxLength)]),
    }),
    retry: new FormGroup({
      maxAttempts: control<number>(TASK_DEFAULTS.retry.maxAttempts, bounded(TASK_LIMITS.maxAttempts)),
      backoffMs: control<number>(TASK_DEFAULTS.retry.backoffMs, bounded(TASK_LIMITS.backoffMs)),
      backoffFactor: control<number>(TASK_DEFAULTS.retry.backoffFactor, bounded(TASK_LIMITS.backoffFactor)),
      maxBackoffMs: control<number>(TASK_DEFAULTS.retry.maxBackoffMs, bounded(TASK_LIMITS.maxBackoffMs)),
    }),
    timeoutMs: control<number>(TASK_DEFAULTS.timeoutMs, bounded(TASK_LIMITS.timeoutMs)),
    overlap: control<OverlapPolicy>(TASK_DEFAULTS.overlap),
    misfire: control<MisfirePolicy>(TASK_DEFAULTS.misfire),
    labels: new FormArray<ReturnType<typeof labelRow>>([], { validators: labelsValidator }),
    jitterMs: control<number>(0, [...bounded(TASK_LIMITS.jitterMs), Validators.pattern(/^\d+$/)]),
    // Told when a run finally fails or is misfired: sent when the URL is filled in.
    onFailure: new FormGroup({
      url: control('', [Validators.maxLength(TASK_LIMITS.url.maxLength), optionalUrlValidator]),
      headers: new FormArray<ReturnType<typeof headerRow>>([]),
    }),
    concurrency: concurrencyGroup(),
    /** Ids of the calendars whose excluded periods the task does not fire in. */
    calendars: control<string[]>([], [Validators.maxLength(CALENDAR_LIMITS.perTask.maxItems)]),
  });
}

export type TaskFormGroup = ReturnType<typeof createTaskForm>;
export type TaskFormValue = ReturnType<TaskFormGroup['getRawValue']>;

/** Only the chosen schedule and action kinds are validated and sent. */
export function enableChosenKinds(form: TaskFormGroup): void {
  const { scheduleKind, actionKind } = form.controls;
  for (const kind of ['cron', 'interval', 'once'] as const) {
    const group = form.controls[kind];
    if (kind === scheduleKind.value) group.enable({ emitEvent: false });
    else group.disable({ emitEvent: false });
  }
  for (const kind of ['http', 'log'] as const) {
    const group = form.controls[kind];
    if (kind === actionKind.value) group.enable({ emitEvent: false });
    else group.disable({ emitEvent: false });
  }
}

/** `2026-11-24T09:00` as typed into a datetime-local field (viewer's zone) to an ISO instant, or undefined. */
export function localToInstant(local: string): string | undefined {
  if (!local) return undefined;
  const time = new Date(local).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** An ISO instant to a datetime-local value in the viewer's zone. */
export function instantToLocal(instant: string | undefined): string {
  if (!instant) return '';
  const date = new Date(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

export function scheduleOf(value: TaskFormValue): Schedule {
  switch (value.scheduleKind) {
    case 'cron': {
      const { expression, timezone, startAt, endAt } = value.cron;
      return withoutUndefined({
        kind: 'cron',
        expression: expression.trim(),
        timezone,
        startAt: localToInstant(startAt),
        endAt: localToInstant(endAt),
      });
    }
    case 'interval':
      return withoutUndefined({
        kind: 'interval',
        everySeconds: Number(value.interval.everySeconds),
        startAt: localToInstant(value.interval.startAt),
      });
    case 'once':
      return { kind: 'once', at: localToInstant(value.once.at) ?? '' };
  }
}

/** The body's text is sent as JSON when it is a JSON object or array, else as written. */
export function parseBody(text: string): JsonValue | undefined {
  if (text === '') return undefined;
  if (/^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}

export function toDefinition(value: TaskFormValue): TaskDefinition {
  const action: Action =
    value.actionKind === 'log'
      ? { kind: 'log', message: value.log.message }
      : withoutUndefined({
          kind: 'http' as const,
          method: value.http.method,
          url: value.http.url.trim(),
          headers: Object.fromEntries(value.http.headers.map((h) => [h.name.trim(), h.value])),
          body: parseBody(value.http.body),
        });
  return withoutUndefined({
    name: value.name.trim(),
    description: value.description.trim() || undefined,
    schedule: scheduleOf(value),
    action,
    retry: {
      maxAttempts: Number(value.retry.maxAttempts),
      backoffMs: Number(value.retry.backoffMs),
      backoffFactor: Number(value.retry.backoffFactor),
      maxBackoffMs: Number(value.retry.maxBackoffMs),
    },
    timeoutMs: Number(value.timeoutMs),
    overlap: value.overlap,
    misfire: value.misfire,
    labels: value.labels.length
      ? Object.fromEntries(value.labels.map((l) => [l.key.trim(), l.value.trim()]))
      : undefined,
    jitterMs: Number(value.jitterMs) > 0 ? Number(value.jitterMs) : undefined,
    onFailure: failureAlertOf(value),
    concurrency: value.concurrency.key.trim()
      ? { key: value.concurrency.key.trim(), limit: Number(value.concurrency.limit) }
      : undefined,
    calendars: value.calendars.length ? value.calendars : undefined,
  });
}

/** The alert on failure: none while its URL is empty. */
export function failureAlertOf(value: TaskFormValue): TaskDefinition['onFailure'] {
  const url = value.onFailure.url.trim();
  if (!url) return undefined;
  const headers = value.onFailure.headers;
  return headers.length
    ? { kind: 'http', url, headers: Object.fromEntries(headers.map((h) => [h.name.trim(), h.value])) }
    : { kind: 'http', url };
}

/**
 * The PATCH body of an edit: the whole definition; an optional field the edit emptied (labels all
 * removed, jitter 0, no calendars, the alert's URL or the limit's key cleared) is sent as its removed
 * value (REMOVED_VALUES), since leaving it out would keep it.
 */
export function toChanges(value: TaskFormValue, before: TaskView): TaskChanges {
  const changes: Record<string, unknown> = { ...toDefinition(value) };
  for (const [field, removed] of Object.entries(REMOVED_VALUES)) {
    const had = before[field as keyof typeof REMOVED_VALUES];
    if (changes[field] === undefined && had !== undefined && !sameValue(had, removed))
      changes[field] = removed;
  }
  return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Fills the form with a task (edit). */
export function patchFromTask(form: TaskFormGroup, task: TaskView): void {
  const { schedule, action } = task;
  form.patchValue({
    name: task.name,
    description: task.description ?? '',
    scheduleKind: schedule.kind,
    retry: task.retry,
    timeoutMs: task.timeoutMs,
    overlap: task.overlap,
    misfire: task.misfire,
    actionKind: action.kind,
    jitterMs: task.jitterMs ?? 0,
    concurrency: { key: task.concurrency?.key ?? '', limit: task.concurrency?.limit ?? null },
    calendars: task.calendars ?? [],
  });
  const labels = form.controls.labels;
  labels.clear();
  for (const [key, value] of Object.entries(task.labels ?? {})) labels.push(labelRow(key, value));
  const alertHeaders = form.controls.onFailure.controls.headers;
  alertHeaders.clear();
  for (const [name, value] of Object.entries(task.onFailure?.headers ?? {}))
    alertHeaders.push(headerRow(name, value));
  form.controls.onFailure.patchValue({ url: task.onFailure?.url ?? '' });
  if (schedule.kind === 'cron') {
    form.controls.cron.patchValue({
      expression: schedule.expression,
      timezone: schedule.timezone,
      startAt: instantToLocal(schedule.startAt),
      endAt: instantToLocal(schedule.endAt),
    });
  } else if (schedule.kind === 'interval') {
    form.controls.interval.patchValue({
      everySeconds: schedule.everySeconds,
      startAt: instantToLocal(schedule.startAt),
    });
  } else {
    form.controls.once.patchValue({ at: instantToLocal(schedule.at) });
  }
  if (action.kind === 'http') {
    const headers = form.controls.http.controls.headers;
    headers.clear();
    for (const [name, value] of Object.entries(action.headers ?? {})) headers.push(headerRow(name, value));
    const body = action.body;
    form.controls.http.patchValue({
      method: action.method,
      url: action.url,
      body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body, null, 2),
    });
  } else {
    form.controls.log.patchValue({ message: action.message });
  }
  enableChosenKinds(form);
}

/**
 * The form control a server error's field path (`schedule.expression`, `action.headers`) belongs to,
 * given the kinds chosen. Null when no single control holds it: then it is shown in the summary.
 */
export function controlForField(form: TaskFormGroup, field: string): AbstractControl | null {
  const [head, ...rest] = field.split('.');
  const tail = rest.join('.');
  const value = form.getRawValue();
  if (head === 'schedule') {
    if (!tail || tail === 'kind') return null;
    return (form.controls[value.scheduleKind] as FormGroup).get(tail);
  }
  if (head === 'action') {
    if (!tail || tail === 'kind') return null;
    const group = form.controls[value.actionKind] as FormGroup;
    return group.get(tail.split(/[.[]/)[0]);
  }
  return form.get(field);
}

/** Whether a person (not a run of the task) changed it between two reads. */
export function sameDefinitionAndStatus(before: TaskView, after: TaskView): boolean {
  const pick = (task: TaskView) => [
    task.status,
    ...TASK_DEFINITION_FIELDS.map((field) => task[field] ?? null),
  ];
  return canonicalJson(pick(before)) === canonicalJson(pick(after));
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
