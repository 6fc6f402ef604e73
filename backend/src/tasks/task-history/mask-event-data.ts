import { maskDefinition } from '../domain/secrets';
import type { TaskDefinition } from '../domain/task';

/** Definitions inside events show secret headers masked, like every other read. */
export function maskEventData(type: string, data: unknown): unknown {
  if (type === 'TaskRegistered') {
    const registered = data as { definition: TaskDefinition };
    return { ...registered, definition: maskDefinition(registered.definition) };
  }
  if (type === 'TaskUpdated') {
    const updated = data as { changes: Partial<TaskDefinition> };
    return { ...updated, changes: maskDefinition(updated.changes) };
  }
  return data;
}
