import { plainToInstance } from 'class-transformer';
import { isIn, isInt, isNumber, isURL, isUUID, maxLength, minLength, validateSync } from 'class-validator';
import type { FieldProblem } from '../../api/problem';
import { flattenValidationErrors } from '../../api/validation.pipe';
import { HTTP_METHODS, type TaskDefinitionInput } from '../domain/task';
import { parseInstant } from '../domain/instant';
import { validateSchedule } from '../domain/occurrences';
import { isValidTimeZone } from '../domain/time-zones';
import { toDefinitionInput } from '../http/to-definition-input';
import { BatchTaskDto } from './register-tasks-batch.dto';

/**
 * Batch items are validated one by one, with the rules of BatchTaskDto, in one of two ways:
 * - readBatchItem, the fast path: plain checks, no class instances, no copies;
 * - validateBatchItemWithDto, the DTO path (class-transformer + class-validator, as the global pipe
 *   validates every other body), for whatever the fast path does not accept; it words every error.
 */

/** A valid item: the client's id as sent (not lower-cased yet; absent or null for none), and the definition. */
export interface ValidBatchItem {
  id: string | null | undefined;
  definition: TaskDefinitionInput;
}

/**
 * The fast path of batch validation: decides, without class instances, whether an item is one that
 * BatchTaskDto (class-validator, whitelist + forbidNonWhitelisted) accepts, and if so returns what the
 * DTO path would have produced. It answers `undefined` for anything else: invalid items, and valid
 * ones it does not take on (keys that the global pipe's prototype guard strips, such as `constructor`,
 * or a body with a non-finite number). The caller then runs the DTO path, which words every error;
 * so errors are the DTO's by construction, and only acceptance must match (the equivalence test in
 * batch-item-reader.unit.spec.ts compares the two on generated items).
 *
 * Each check below is the DTO's decorator for that field, through the same class-validator function
 * (isInt, isURL, ...) or domain function (parseInstant, validateSchedule, isValidTimeZone).
 */
type Json = Record<string, unknown>;

const SCHEDULE_KINDS = new Set(['once', 'cron', 'interval']);
const OVERLAP = ['skip', 'allow'];
const MISFIRE = ['fire_once', 'skip', 'fire_all'];
const URL_OPTIONS = {
  protocols: ['http', 'https'],
  require_protocol: true,
  require_tld: false,
  allow_underscores: true,
};
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function readBatchItem(raw: unknown): ValidBatchItem | undefined {
  if (!isPlainObject(raw)) return undefined;
  let id: string | null | undefined;
  const definition: Json = {};
  for (const key in raw) {
    if (!Object.prototype.hasOwnProperty.call(raw, key)) continue;
    const value = raw[key];
    switch (key) {
      case 'id':
        if (!isNil(value) && !isUUID(value)) return undefined;
        id = value as string | null;
        continue;
      case 'name':
        if (!(typeof value === 'string' && minLength(value, 1) && maxLength(value, 200))) return undefined;
        break;
      case 'description':
        if (!isNil(value) && !(typeof value === 'string' && maxLength(value, 2000))) return undefined;
        break;
      case 'schedule':
        if (!isSchedule(value)) return undefined;
        break;
      case 'action': {
        const action = readAction(value);
        if (!action) return undefined;
        definition.action = action;
        continue;
      }
      case 'retry':
        if (!isNil(value) && !isRetry(value)) return undefined;
        break;
      case 'timeoutMs':
        if (!isNil(value) && !(isInt(value) && (value as number) >= 1 && (value as number) <= 3_600_000)) {
          return undefined;
        }
        break;
      case 'overlap':
        if (!isNil(value) && !isIn(value, OVERLAP)) return undefined;
        break;
      case 'misfire':
        if (!isNil(value) && !isIn(value, MISFIRE)) return undefined;
        break;
      default:
        return undefined; // not a known field (or one the prototype guard strips)
    }
    definition[key] = value;
  }
  // The required fields (IsString / IsDefined): a missing one fails the DTO.
  if (definition.name === undefined || definition.schedule === undefined || definition.action === undefined) {
    return undefined;
  }
  return { id, definition: definition as unknown as TaskDefinitionInput };
}

function isSchedule(value: unknown): boolean {
  if (!isPlainObject(value) || typeof value.kind !== 'string' || !SCHEDULE_KINDS.has(value.kind))
    return false;
  const allowed = value.kind === 'once' ? ONCE_KEYS : value.kind === 'cron' ? CRON_KEYS : INTERVAL_KEYS;
  if (!hasOnlyKeys(value, allowed)) return false;
  switch (value.kind) {
    case 'once':
      return isInstant(value.at);
    case 'cron': {
      const { expression, timezone, startAt, endAt } = value;
      if (!(typeof expression === 'string' && maxLength(expression, 200))) return false;
      if (validateSchedule({ kind: 'cron', expression, timezone: 'UTC' }) !== null) return false;
      if (!(typeof timezone === 'string' && isValidTimeZone(timezone))) return false;
      if (!isNil(startAt) && !isInstant(startAt)) return false;
      if (isNil(endAt)) return true;
      if (!isInstant(endAt)) return false;
      // IsNotBefore('startAt'): only when both are strings that parse.
      if (typeof startAt !== 'string') return true;
      const start = parseInstant(startAt);
      const end = parseInstant(endAt as string);
      return !(start && end && end.getTime() < start.getTime());
    }
    default: {
      const { everySeconds, startAt } = value;
      if (!(
        isInt(everySeconds) &&
        (everySeconds as number) >= 1 &&
        (everySeconds as number) <= 3_153_600_000
      )) {
        return false;
      }
      return isNil(startAt) || isInstant(startAt);
    }
  }
}

const ONCE_KEYS = new Set(['kind', 'at']);
const CRON_KEYS = new Set(['kind', 'expression', 'timezone', 'startAt', 'endAt']);
const INTERVAL_KEYS = new Set(['kind', 'everySeconds', 'startAt']);
const HTTP_KEYS = new Set(['kind', 'url', 'method', 'headers', 'body']);
const LOG_KEYS = new Set(['kind', 'message']);
const RETRY_KEYS = new Set(['maxAttempts', 'backoffMs', 'backoffFactor', 'maxBackoffMs']);

/** The action as toDefinitionInput makes it: an http action's method defaults to POST. */
function readAction(value: unknown): Json | undefined {
  if (!isPlainObject(value)) return undefined;
  if (value.kind === 'log') {
    if (!hasOnlyKeys(value, LOG_KEYS)) return undefined;
    return typeof value.message === 'string' && maxLength(value.message, 4096) ? value : undefined;
  }
  if (value.kind !== 'http' || !hasOnlyKeys(value, HTTP_KEYS)) return undefined;
  const { url, method, headers, body } = value;
  if (!(typeof url === 'string' && isValidUrl(url))) return undefined;
  if (!isNil(method) && !isIn(method, HTTP_METHODS)) return undefined;
  if (!isNil(headers) && !isHeaderRecord(headers)) return undefined;
  if (body !== undefined && !isPlainJson(body)) return undefined;
  return { ...value, method: method ?? 'POST' };
}

/**
 * IsUrl(URL_OPTIONS) and MaxLength(2048), remembered per URL: validator's isURL is the costliest check
 * here, and the items of a batch mostly call a few endpoints.
 */
function isValidUrl(url: string): boolean {
  if (validUrls.has(url)) return true;
  if (!(maxLength(url, 2048) && isURL(url, URL_OPTIONS))) return false;
  if (validUrls.size >= MAX_REMEMBERED_URLS) validUrls.clear();
  validUrls.add(url);
  return true;
}

const validUrls = new Set<string>();
const MAX_REMEMBERED_URLS = 1000;

function isRetry(value: unknown): boolean {
  if (!isPlainObject(value) || !hasOnlyKeys(value, RETRY_KEYS)) return false;
  const { maxAttempts, backoffMs, backoffFactor, maxBackoffMs } = value;
  return (
    (isNil(maxAttempts) || (isInt(maxAttempts) && inRange(maxAttempts, 1, 100))) &&
    (isNil(backoffMs) || (isInt(backoffMs) && inRange(backoffMs, 0, 86_400_000))) &&
    (isNil(backoffFactor) || (isNumber(backoffFactor) && inRange(backoffFactor, 1, 10))) &&
    (isNil(maxBackoffMs) || (isInt(maxBackoffMs) && inRange(maxBackoffMs, 0, 86_400_000)))
  );
}

/** IsStringRecord(50), and no key the DTO path would drop. */
function isHeaderRecord(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  let count = 0;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (++count > 50 || isDroppedKey(key) || typeof value[key] !== 'string' || !HEADER_NAME.test(key)) {
      return false;
    }
  }
  return true;
}

/**
 * A value that the DTO path (prototype guard, class-transformer copy, JSON round trip) would hand on
 * unchanged: no key it drops, at any depth, and only finite numbers.
 */
function isPlainJson(value: unknown, depth = 0): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], depth + 1)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (isDroppedKey(key) || !isPlainJson((value as Json)[key], depth + 1)) return false;
  }
  return true;
}

function hasOnlyKeys(value: Json, allowed: Set<string>): boolean {
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key) && !allowed.has(key)) return false;
  }
  return true;
}

function isPlainObject(value: unknown): value is Json {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

function isInstant(value: unknown): boolean {
  return typeof value === 'string' && parseInstant(value) !== null;
}

function inRange(value: unknown, min: number, max: number): boolean {
  return (value as number) >= min && (value as number) <= max;
}

function isNil(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/** Keys the global ValidationPipe deletes from every request body (prototype-pollution guard). */
export function isGuardedKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/**
 * Keys the DTO path drops from a free-form object (an http body, headers): the guarded ones, and
 * those naming a member of Object.prototype (valueOf, toString, hasOwnProperty, ...), which
 * class-transformer skips when it copies an object that has no class.
 */
function isDroppedKey(key: string): boolean {
  return isGuardedKey(key) || Object.prototype.hasOwnProperty.call(Object.prototype, key);
}

/**
 * The DTO path: what the global ValidationPipe does to a body (delete guarded keys), then
 * class-transformer and class-validator with BatchTaskDto, then the domain's plain input. Mutates `raw`
 * (the guarded keys), as the pipe does.
 */
export function validateBatchItemWithDto(
  raw: unknown,
): { item: ValidBatchItem; problems?: undefined } | { item?: undefined; problems: FieldProblem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: [{ field: '', reason: 'must be an object' }] };
  }
  const dto = plainToInstance(BatchTaskDto, stripGuardedKeys(raw));
  const errors = validateSync(dto, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) return { problems: flattenValidationErrors(errors) };
  const { id, ...definition } = dto;
  return { item: { id, definition: toDefinitionInput(definition) } };
}

/** Nest's stripProtoKeys: guarded keys go, at any depth, in place. */
function stripGuardedKeys<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (const item of value) stripGuardedKeys(item);
    return value;
  }
  for (const key of Object.keys(value)) {
    if (isGuardedKey(key)) delete (value as Record<string, unknown>)[key];
    else stripGuardedKeys((value as Record<string, unknown>)[key]);
  }
  return value;
}
