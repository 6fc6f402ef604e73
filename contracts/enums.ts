/**
 * The closed sets of values the API speaks in, for code that needs them at run time (the generated
 * types in api.ts only name them): the server's domain and schemas, the GUI's menus and the CLI's
 * options all read them here. Plain data, no imports.
 */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The fields of a task definition, in the order the API shows and compares them. */
export const TASK_DEFINITION_FIELDS = [
  'name',
  'description',
  'schedule',
  'action',
  'retry',
  'timeoutMs',
  'overlap',
  'misfire',
  'labels',
  'jitterMs',
  'onFailure',
  'concurrency',
  'calendars',
] as const;

/**
 * The optional definition fields an update can remove, each with the value that records the removal
 * (a field left out of an update stays as it is). A field holding that value and an absent one are one
 * thing: the definition leaves it out.
 */
export const REMOVED_VALUES = {
  labels: {},
  calendars: [],
  jitterMs: 0,
  onFailure: null,
  concurrency: null,
} as const;

/** What became of a due instant (GET /api/tasks/{id}/occurrences). */
export const OCCURRENCE_STATUSES = [
  'executed',
  'running',
  'scheduled',
  'waiting',
  'skipped',
  'paused',
  'misfired',
  'upcoming',
  'missing',
] as const;
