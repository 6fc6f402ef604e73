import type { Static, TSchema } from '@sinclair/typebox';
import Ajv, { type ErrorObject, type SchemaValidateFunction } from 'ajv';
import { isRealDate } from '../calendars/domain/exclusions';
import { parseInstant } from '../tasks/domain/instant';
import { cronExpressionProblem } from '../tasks/domain/occurrences';
import { isHttpUrl } from '../tasks/domain/task';
import { isValidTimeZone } from '../tasks/domain/time-zones';
import { type FieldProblem, validationProblem } from './problem';

/**
 * Requests are checked against their JSON Schema (written with TypeBox beside each route), compiled
 * once by Ajv: a body by `@ValidBody`, the query string by `@ValidQuery`. The schema is the one
 * statement of what a request may hold: the OpenAPI document shows it, the generated client types come
 * from it, and this module words its failures as problem+json fields. The formats are the domain's own
 * rules, so the API and decide never disagree about what is valid.
 */
const FORMATS: Record<string, { validate: (value: string) => boolean; reason: (value: unknown) => string }> =
  {
    'date-time': {
      validate: (value) => parseInstant(value) !== null,
      reason: () => 'must be an ISO 8601 instant with an offset, e.g. 2026-11-24T09:00:00Z',
    },
    'time-zone': {
      validate: isValidTimeZone,
      reason: () => 'must be an IANA time zone name, e.g. Europe/Berlin or UTC',
    },
    cron: {
      validate: (value) => cronExpressionProblem(value) === null,
      reason: (value) => cronExpressionProblem(String(value)) ?? 'is not a cron expression',
    },
    'calendar-date': {
      validate: isRealDate,
      reason: () => 'must be a real date, YYYY-MM-DD, e.g. 2026-12-25',
    },
    'http-url': { validate: isHttpUrl, reason: () => 'must be an absolute http or https URL' },
    uuid: {
      validate: (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
      reason: () => 'must be a UUID',
    },
  };

/** `"x-not-before": "startAt"`: an instant that must not be before its sibling instant (when both parse). */
const notBefore: SchemaValidateFunction = (sibling: string, value: string, _schema, cxt) => {
  const other: unknown = cxt?.parentData[sibling];
  const [end, start] = [parseInstant(value), typeof other === 'string' ? parseInstant(other) : null];
  if (!end || !start || end.getTime() >= start.getTime()) return true;
  notBefore.errors = [{ keyword: 'x-not-before', message: `must not be before ${sibling}`, params: {} }];
  return false;
};

/** Where a request's value comes from, which says how it is read and what its root is called. */
export type RequestPart = 'body' | 'query';

/**
 * One Ajv for each part, the same formats and keywords in both, and one difference: a body is JSON,
 * checked as sent, while a query string's values are all text, so the query's Ajv coerces them to the
 * schema's type first (`limit=50` is the number 50, `true` a boolean). Text that is not one stays
 * text and fails (`limit=ten`, `limit=1.5`: must be a whole number).
 */
function createAjv(part: RequestPart): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    discriminator: true,
    verbose: true,
    strictTypes: false,
    coerceTypes: part === 'query',
  });
  for (const [name, { validate }] of Object.entries(FORMATS))
    ajv.addFormat(name, { type: 'string', validate });
  ajv.addKeyword('example'); // documentation only (the OpenAPI document's examples)
  ajv.addKeyword({
    keyword: 'x-not-before',
    type: 'string',
    schemaType: 'string',
    errors: true,
    validate: notBefore,
  });
  return ajv;
}

const ajvs: Record<RequestPart, Ajv> = { body: createAjv('body'), query: createAjv('query') };

export type CheckResult<T> =
  { value: T; problems?: undefined } | { value?: undefined; problems: FieldProblem[] };

/**
 * A compiled check of one schema: the value typed by the schema, or every failing field. For the query
 * part, the value's text is coerced in place (pass a copy of anything not yours to change).
 */
export function compileCheck<S extends TSchema>(
  schema: S,
  part: RequestPart = 'body',
): (value: unknown) => CheckResult<Static<S>> {
  const validate = compileValidator(schema, part);
  return (value) => {
    const errors = validate(value);
    return errors ? { problems: toFieldProblems(errors, part) } : { value: value as Static<S> };
  };
}

/** Ajv's own errors, or null when the value is valid (for callers that sort errors before wording them). */
export function compileValidator(
  schema: TSchema,
  part: RequestPart = 'body',
): (value: unknown) => ErrorObject[] | null {
  const validate = ajvs[part].compile(schema);
  return (value) => (validate(value) ? null : (validate.errors ?? []));
}

/** As compileCheck, throwing the 400 problem+json when the value is not valid. */
export function compileParser<S extends TSchema>(
  schema: S,
  part: RequestPart = 'body',
): (value: unknown) => Static<S> {
  const check = compileCheck(schema, part);
  return (value) => {
    const result = check(value);
    if (result.problems) throw validationProblem(result.problems);
    return result.value;
  };
}

/**
 * Ajv's errors as fields and reasons, the one wording of every request error; duplicates dropped. An
 * error about the value as a whole names the part (`body`, `query`). The items of a list that are not
 * among its allowed values are named together, once, on the list (`type: has unknown event types (…)`).
 */
export function toFieldProblems(errors: ErrorObject[], root: RequestPart = 'body'): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  const lists = new Map<string, { problem: FieldProblem; values: Set<string> }>();
  for (const error of errors) {
    const item = unknownItem(error);
    if (item) {
      let list = lists.get(item.field);
      if (!list) {
        list = { problem: { field: item.field || root, reason: '' }, values: new Set() };
        lists.set(item.field, list);
        problems.push(list.problem);
      }
      list.values.add(item.value);
      list.problem.reason = `has unknown ${item.noun} (${[...list.values].join(', ')}); known: ${item.known}`;
      continue;
    }
    const problem = toFieldProblem(error);
    if (!problem) continue;
    problem.field ||= root;
    const key = `${problem.field}\n${problem.reason}`;
    if (!seen.has(key)) problems.push(problem);
    seen.add(key);
  }
  return problems;
}

/** An `enum` error on an item of a list: the list's field, the item, and what the items may be. */
function unknownItem(error: ErrorObject) {
  const at = error.instancePath.lastIndexOf('/');
  if (error.keyword !== 'enum' || !/^\d+$/.test(error.instancePath.slice(at + 1))) return null;
  return {
    field: fieldPath(error.instancePath.slice(0, at)),
    value: String(error.data),
    known: (error.params as { allowedValues: unknown[] }).allowedValues.join(', '),
    noun: describe(error, 'values'),
  };
}

function toFieldProblem(error: ErrorObject): FieldProblem | null {
  const path = fieldPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.propertyName !== undefined) {
    return {
      field: joinField(path, error.propertyName),
      reason: `must be ${describe(error, 'a valid name')}`,
    };
  }
  const bound = BOUND_REASONS[error.keyword];
  if (bound) return { field: path, reason: bound(Number(params.limit)) };
  switch (error.keyword) {
    case 'propertyNames':
      return null; // reported by its nested error, which names the property
    case 'required':
      return { field: joinField(path, String(params.missingProperty)), reason: 'is required' };
    case 'additionalProperties':
      return { field: joinField(path, String(params.additionalProperty)), reason: 'is not a known field' };
    case 'discriminator':
      return { field: joinField(path, String(params.tag)), reason: `must be one of ${tagValues(error)}` };
    case 'format':
      return { field: path, reason: FORMATS[String(params.format)]?.reason(error.data) ?? 'is invalid' };
    case 'type':
      return { field: path, reason: TYPE_REASONS[String(params.type)] ?? `must be ${String(params.type)}` };
    case 'enum':
      return { field: path, reason: `must be one of ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'const':
      return { field: path, reason: `must be ${String(params.allowedValue)}` };
    case 'pattern':
      return { field: path, reason: `must be ${describe(error, `like ${String(params.pattern)}`)}` };
    default:
      return { field: path, reason: error.message ?? 'is invalid' };
  }
}

/** Keywords whose reason is a bound (`must be at least 1`, `must have at most 50 entries`). */
const BOUND_REASONS: Record<string, (limit: number) => string> = {
  minimum: (limit) => `must be at least ${limit}`,
  maximum: (limit) => `must be at most ${limit}`,
  minLength: (limit) => (limit === 1 ? 'must not be empty' : `must be at least ${limit} characters`),
  maxLength: (limit) => `must be at most ${limit} characters`,
  minItems: (limit) => `must have at least ${limit} items`,
  maxItems: (limit) => `must have at most ${limit} items`,
  minProperties: (limit) => (limit === 1 ? 'must not be empty' : `must have at least ${limit} fields`),
  maxProperties: (limit) => `must have at most ${limit} entries`,
};

/** What the failing schema says it is (`an HTTP header name`), for errors whose keyword cannot say it. */
function describe(error: ErrorObject, fallback: string): string {
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  return typeof description === 'string' ? description : fallback;
}

const TYPE_REASONS: Record<string, string> = {
  string: 'must be a string',
  integer: 'must be a whole number',
  number: 'must be a number',
  boolean: 'must be true or false',
  object: 'must be an object',
  array: 'must be an array',
};

/** The kinds a discriminated union allows (`once, cron, interval`), read from its branches. */
function tagValues(error: ErrorObject): string {
  const tag = String((error.params as { tag: string }).tag);
  const branches = (error.parentSchema?.oneOf ?? []) as {
    properties?: Record<string, { const?: unknown }>;
  }[];
  return branches.map((branch) => String(branch.properties?.[tag]?.const)).join(', ');
}

/** `/items/3/schedule/expression` → `items[3].schedule.expression` (JSON Pointer unescaped). */
export function fieldPath(pointer: string): string {
  let field = '';
  for (const raw of pointer.split('/').slice(1)) {
    field = joinField(field, raw.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return field;
}

function joinField(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}
