import { maskDefinition } from '../domain/secrets';
import { TASK_DEFINITION_FIELDS, type TaskDefinition } from '../domain/task';

export type DefinitionField = (typeof TASK_DEFINITION_FIELDS)[number];

/** One definition field that differs; a field one side lacks (description) is null there. */
export interface FieldChange {
  field: DefinitionField;
  before: unknown;
  after: unknown;
}

/**
 * The fields that differ between two definitions, in their documented order. Values are compared as
 * stored (a changed secret header counts) but shown masked, like every other read.
 */
export function diffDefinitions(before: TaskDefinition, after: TaskDefinition): FieldChange[] {
  const [shownBefore, shownAfter] = [maskDefinition(before), maskDefinition(after)];
  return TASK_DEFINITION_FIELDS.filter((field) => !sameJson(before[field], after[field])).map((field) => ({
    field,
    before: shownBefore[field] ?? null,
    after: shownAfter[field] ?? null,
  }));
}

/** Equal as JSON values; object key order does not matter (jsonb keeps its own). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bKeys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((key) =>
    sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}
