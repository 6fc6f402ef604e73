import { LABEL_KEY_PATTERN, LABEL_VALUE_PATTERN, TASK_LIMITS } from '../../../../contracts/limits';

const KEY = new RegExp(LABEL_KEY_PATTERN);
const VALUE = new RegExp(LABEL_VALUE_PATTERN);

/** Why a label key is refused, or null (contracts/limits.ts: the server's own rules). */
export function labelKeyError(key: string): string | null {
  if (key === '') return 'A label needs a key';
  if (key.length > TASK_LIMITS.labels.keyMaxLength)
    return `A key has at most ${TASK_LIMITS.labels.keyMaxLength} characters`;
  if (!KEY.test(key)) return 'A key is letters, digits, . _ - /, starting and ending with a letter or digit';
  return null;
}

/** Why a label value is refused, or null. A value may be empty. */
export function labelValueError(value: string): string | null {
  if (value.length > TASK_LIMITS.labels.valueMaxLength)
    return `A value has at most ${TASK_LIMITS.labels.valueMaxLength} characters`;
  if (!VALUE.test(value))
    return 'A value is letters, digits, . _ -, starting and ending with a letter or digit';
  return null;
}

/**
 * A label filter as typed, `team:billing` (keys have no `:`, so the first one splits), in the form the
 * query sends it (`?label=team:billing`); or the reason it is refused.
 */
export function parseLabelFilter(text: string): { filter: string } | { error: string } {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon < 0) return { error: 'Write a label filter as key:value, e.g. team:billing' };
  const key = trimmed.slice(0, colon).trim();
  const value = trimmed.slice(colon + 1).trim();
  const error = labelKeyError(key) ?? labelValueError(value);
  return error ? { error } : { filter: `${key}:${value}` };
}

/** A task's labels as `key:value` texts, sorted by key, for chips and rows. */
export function labelTexts(labels: Record<string, string> | undefined): string[] {
  return Object.entries(labels ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}:${value}`);
}
