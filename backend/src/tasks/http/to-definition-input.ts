import type { Action, TaskDefinitionInput } from '../domain/task';
import type { TaskDefinitionDto } from './task-definition.dto';

/**
 * A validated DTO as the domain's plain input: a JSON round trip drops class instances and absent
 * fields, and the http method defaults to POST.
 */
export function toDefinitionInput(dto: TaskDefinitionDto): TaskDefinitionInput;
export function toDefinitionInput(dto: Partial<TaskDefinitionDto>): Partial<TaskDefinitionInput>;
export function toDefinitionInput(dto: Partial<TaskDefinitionDto>): Partial<TaskDefinitionInput> {
  const input = JSON.parse(JSON.stringify(dto)) as Partial<TaskDefinitionInput>;
  if (input.action?.kind === 'http') {
    input.action = { ...input.action, method: input.action.method ?? 'POST' } satisfies Action;
  }
  return input;
}
