import { Type } from '@sinclair/typebox';
import { LABEL_KEY_PATTERN, LABEL_VALUE_PATTERN, TASK_LIMITS } from '../../../../contracts/limits';

/** `label=team:billing` (repeated or comma-separated): tasks carrying every one of these labels. */
export function LabelFilter(options: object = {}) {
  return Type.Array(
    Type.String({ pattern: LABEL_FILTER_PATTERN, description: 'a label as key:value, e.g. team:billing' }),
    {
      minItems: 1,
      maxItems: TASK_LIMITS.labels.maxEntries,
      description: 'tasks with all of these labels',
      ...options,
    },
  );
}

/** `key:value` with the key and value patterns of contracts/limits.ts. */
const LABEL_FILTER_PATTERN = `${LABEL_KEY_PATTERN.slice(0, -1)}:${LABEL_VALUE_PATTERN.slice(1)}`;

/** The label filter as containment objects, one per label (all must hold). */
export function labelContainments(labels: readonly string[]): string[] {
  return labels.map((label) => {
    const at = label.indexOf(':');
    return JSON.stringify({ [label.slice(0, at)]: label.slice(at + 1) });
  });
}
