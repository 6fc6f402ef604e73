import { type Static, type TObject, type TSchema, type TUnion, Type } from '@sinclair/typebox';
import {
  CONCURRENCY_KEY_PATTERN,
  CALENDAR_LIMITS,
  HEADER_NAME_PATTERN,
  LABEL_KEY_PATTERN,
  LABEL_VALUE_PATTERN,
  TASK_DEFAULTS as DEFAULTS,
  TASK_LIMITS as LIMITS,
} from '../../../../contracts/limits';
import { HTTP_METHODS, type JsonValue, MISFIRE_POLICIES, OVERLAP_POLICIES } from '../domain/task';

/**
 * The body that defines a task (POST and PUT /api/tasks, each batch item, PATCH in part): the one
 * statement of its shape and limits. Ajv checks requests against it (api/request-schema.ts; a body
 * that passes is the domain's TaskDefinitionInput, which the compiler checks where the controllers hand it on), the OpenAPI
 * document shows it, and the GUI and CLI types are generated from that document. A schema with a `title`
 * is a named component of the document.
 */

/** One of the given strings. */
export const StringEnum = <T extends string>(values: readonly T[], options: object = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });

export const Instant = (options: object = {}) =>
  Type.String({ format: 'date-time', example: '2026-11-24T09:00:00Z', ...options });

/** An object whose `kind` says which of the variants it is (each variant's errors only, not all of them). */
const OneOfKind = <T extends TObject[]>(title: string, variants: [...T]) =>
  Type.Unsafe<Static<TUnion<T>>>({
    title,
    type: 'object',
    oneOf: variants,
    discriminator: { propertyName: 'kind' },
  });

const closed = (title: string) => ({ title, additionalProperties: false });

export const OnceSchedule = Type.Object(
  { kind: Type.Literal('once'), at: Instant() },
  closed('OnceSchedule'),
);

export const CronSchedule = Type.Object(
  {
    kind: Type.Literal('cron'),
    expression: Type.String({
      format: 'cron',
      maxLength: LIMITS.cronExpression.maxLength,
      description: '5 fields, or 6 with seconds first',
      example: '0 */5 * * * *',
    }),
    timezone: Type.String({
      format: 'time-zone',
      description: 'an IANA time zone',
      example: 'Europe/Berlin',
    }),
    startAt: Type.Optional(Instant({ description: 'no occurrence before it' })),
    endAt: Type.Optional(Instant({ description: 'no occurrence after it', 'x-not-before': 'startAt' })),
  },
  closed('CronSchedule'),
);

export const IntervalSchedule = Type.Object(
  {
    kind: Type.Literal('interval'),
    everySeconds: Type.Integer({ ...LIMITS.everySeconds, example: 30 }),
    startAt: Type.Optional(
      Instant({ description: 'anchor: occurrences fall on startAt + k × everySeconds' }),
    ),
  },
  closed('IntervalSchedule'),
);

export const Schedule = OneOfKind('Schedule', [OnceSchedule, CronSchedule, IntervalSchedule]);

const httpUrl = (example: string) =>
  Type.String({ format: 'http-url', maxLength: LIMITS.url.maxLength, example });

const httpHeaders = () =>
  Type.Unsafe<Record<string, string>>({
    type: 'object',
    maxProperties: LIMITS.headers.maxEntries,
    propertyNames: { pattern: HEADER_NAME_PATTERN, description: 'an HTTP header name' },
    additionalProperties: { type: 'string' },
  });

export const HttpAction = Type.Object(
  {
    kind: Type.Literal('http'),
    url: httpUrl('https://example.com/hooks/report'),
    method: Type.Optional(StringEnum(HTTP_METHODS, { default: DEFAULTS.method })),
    headers: Type.Optional(httpHeaders()),
    body: Type.Optional(Type.Unsafe<JsonValue>({ description: 'text or JSON sent as the request body' })),
  },
  closed('HttpAction'),
);

export const LogAction = Type.Object(
  { kind: Type.Literal('log'), message: Type.String({ maxLength: LIMITS.logMessage.maxLength }) },
  closed('LogAction'),
);

export const Action = OneOfKind('Action', [HttpAction, LogAction]);

export const RetryPolicy = Type.Object(
  {
    maxAttempts: Type.Optional(Type.Integer({ ...LIMITS.maxAttempts, default: DEFAULTS.retry.maxAttempts })),
    backoffMs: Type.Optional(Type.Integer({ ...LIMITS.backoffMs, default: DEFAULTS.retry.backoffMs })),
    backoffFactor: Type.Optional(
      Type.Number({ ...LIMITS.backoffFactor, default: DEFAULTS.retry.backoffFactor }),
    ),
    maxBackoffMs: Type.Optional(
      Type.Integer({ ...LIMITS.maxBackoffMs, default: DEFAULTS.retry.maxBackoffMs }),
    ),
  },
  closed('RetryPolicy'),
);

/** `{ "team": "billing" }`: keys and values as Kubernetes labels, so `key:value` filters stay unambiguous. */
export const Labels = Type.Unsafe<Record<string, string>>({
  title: 'Labels',
  type: 'object',
  maxProperties: LIMITS.labels.maxEntries,
  propertyNames: {
    pattern: LABEL_KEY_PATTERN,
    maxLength: LIMITS.labels.keyMaxLength,
    description: 'a label key (letters, digits, . _ - /, starting and ending with a letter or digit)',
  },
  additionalProperties: {
    type: 'string',
    pattern: LABEL_VALUE_PATTERN,
    maxLength: LIMITS.labels.valueMaxLength,
    description:
      'a label value (empty, or letters, digits, . _ -, starting and ending with one of the first two)',
  },
  example: { team: 'billing' },
});

/**
 * Told when an occurrence finally fails or is misfired (ADR 020): a POST of a JSON body, with the
 * outbound guard, signature and retries of http actions.
 */
export const FailureAlert = Type.Object(
  {
    kind: Type.Literal('http'),
    url: httpUrl('https://example.com/hooks/kairos-alerts'),
    headers: Type.Optional(httpHeaders()),
  },
  { ...closed('FailureAlert'), description: 'called when an occurrence finally fails or is misfired' },
);

/** `{ "key": "billing-db", "limit": 2 }`: at most `limit` runs of the key's tasks at once, cluster-wide. */
export const Concurrency = Type.Object(
  {
    key: Type.String({
      pattern: CONCURRENCY_KEY_PATTERN,
      maxLength: LIMITS.concurrency.keyMaxLength,
      description: 'tasks sharing a key share its limit (letters, digits, . _ -)',
      example: 'billing-db',
    }),
    limit: Type.Integer({
      ...LIMITS.concurrency.limit,
      description: 'at most this many of its tasks run at once; the others wait their turn in due order',
      example: 2,
    }),
  },
  closed('Concurrency'),
);

/** The calendars whose excluded periods the task does not fire in (ids of `POST /api/calendars`). */
export const Calendars = Type.Array(Type.String({ format: 'uuid' }), {
  title: 'TaskCalendars',
  maxItems: CALENDAR_LIMITS.perTask.maxItems,
  uniqueItems: true,
  description: 'ids of calendars; an occurrence due in one of their excluded periods is skipped',
});

const definitionFields = {
  name: Type.String({ minLength: 1, ...LIMITS.name, example: 'nightly-report' }),
  description: Type.Optional(Type.String(LIMITS.description)),
  schedule: Schedule,
  action: Action,
  retry: Type.Optional(RetryPolicy),
  timeoutMs: Type.Optional(Type.Integer({ ...LIMITS.timeoutMs, default: DEFAULTS.timeoutMs })),
  overlap: Type.Optional(StringEnum(OVERLAP_POLICIES, { default: DEFAULTS.overlap })),
  misfire: Type.Optional(StringEnum(MISFIRE_POLICIES, { default: DEFAULTS.misfire })),
  labels: Type.Optional(Labels),
  jitterMs: Type.Optional(
    Type.Integer({
      ...LIMITS.jitterMs,
      default: 0,
      description:
        'each regular occurrence starts up to this many ms after its due instant, by a fixed offset per task and occurrence (0: on time)',
    }),
  ),
  onFailure: Type.Optional(FailureAlert),
  concurrency: Type.Optional(Concurrency),
  calendars: Type.Optional(Calendars),
};

export const TaskDefinition = Type.Object(definitionFields, closed('TaskDefinition'));

/** In an update, null removes the field (leaving it out keeps it): the schema, nullable, untitled. */
function removable<T extends TSchema>(schema: T, description: string) {
  const { title: _title, ...untitled } = schema;
  return Type.Unsafe<Static<T> | null>({ ...untitled, nullable: true, description });
}

/** PATCH: any of the fields; those given replace the current ones (a retry policy merges). */
export const TaskChanges = Type.Partial(
  Type.Object({
    ...definitionFields,
    onFailure: removable(FailureAlert, 'the failure alert; null removes it'),
    concurrency: removable(Concurrency, 'the concurrency limit; null removes it'),
  }),
  { ...closed('TaskChanges'), minProperties: 1 },
);

/** A batch item: a definition, and the id to register it under (idempotent), or a new one. */
export const BatchTask = Type.Object(
  {
    id: Type.Optional(
      Type.String({ format: 'uuid', description: 'a client-chosen id; a new one when absent' }),
    ),
    ...definitionFields,
  },
  closed('BatchTask'),
);
