/**
 * The limits of what a client may send, and the defaults of what it leaves out, in one place: the
 * server's request schemas (backend/src/tasks/http/task-definition.schema.ts), the domain, the GUI's form
 * and the tests all read them here. Plain data, no imports, so every side of the contract can use it.
 */
export const TASK_LIMITS = {
  name: { maxLength: 200 },
  description: { maxLength: 2000 },
  cronExpression: { maxLength: 200 },
  /** 100 years: longer than any schedule can be reasoned about. */
  everySeconds: { minimum: 1, maximum: 3_153_600_000 },
  url: { maxLength: 2048 },
  headers: { maxEntries: 50 },
  logMessage: { maxLength: 4096 },
  maxAttempts: { minimum: 1, maximum: 100 },
  backoffMs: { minimum: 0, maximum: 86_400_000 },
  backoffFactor: { minimum: 1, maximum: 10 },
  maxBackoffMs: { minimum: 0, maximum: 86_400_000 },
  timeoutMs: { minimum: 1, maximum: 3_600_000 },
  /** `labels: { team: "billing" }`: keys and values as Kubernetes labels (no `:`, which filters use). */
  labels: { maxEntries: 20, keyMaxLength: 63, valueMaxLength: 63 },
  /** `jitterMs`: each regular occurrence starts up to this much after its due instant (0: on time). */
  jitterMs: { minimum: 0, maximum: 3_600_000 },
  /** `concurrency: { key: "billing-db", limit: 2 }`: at most `limit` runs of the key's tasks at once. */
  concurrency: { keyMaxLength: 63, limit: { minimum: 1, maximum: 1000 } },
} as const;

/** A label key: letters, digits, `.`, `_`, `-`, `/`, starting and ending with a letter or digit. */
export const LABEL_KEY_PATTERN = '^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$';
/** A label value: empty, or letters, digits, `.`, `_`, `-`, starting and ending with a letter or digit. */
export const LABEL_VALUE_PATTERN = '^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)?$';

/** A concurrency key: like a label value, but not empty. */
export const CONCURRENCY_KEY_PATTERN = '^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$';

/** Calendars (`POST /api/calendars`) and the task field that names them. */
export const CALENDAR_LIMITS = {
  name: { maxLength: 200 },
  timezone: { maxLength: 100 },
  /** Excluded periods in one calendar. */
  exclusions: { maxItems: 1000 },
  cronExpression: { maxLength: 200 },
  /** Calendars one task may name (`"calendars": [id, ...]`). */
  perTask: { maxItems: 10 },
} as const;

/** An excluded day: `YYYY-MM-DD` (a real date is checked beside the pattern). */
export const CALENDAR_DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** What a task definition's policies are when a client leaves them out. */
export const TASK_DEFAULTS = {
  retry: { maxAttempts: 3, backoffMs: 1000, backoffFactor: 2, maxBackoffMs: 300_000 },
  timeoutMs: 30_000,
  overlap: 'skip',
  misfire: 'fire_once',
  method: 'POST',
} as const;

/** Items per page of a paged list (`?limit=`: tasks, executions, a task's events), and when none is given. */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** Items in one `POST /api/tasks/batch`. */
export const MAX_BATCH_ITEMS = 1000;

/** Past occurrences one `POST /api/tasks/{id}/backfill` may run (its window holds at most this many). */
export const MAX_BACKFILL_OCCURRENCES = 1000;

/** Runs one `POST /api/schedules/preview` may ask for. */
export const MAX_PREVIEW_COUNT = 50;

/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";
