import type { ArgumentMetadata } from '@nestjs/common';
import { createValidationPipe } from '../../api/validation.pipe';
import type { TaskDefinitionInput } from '../domain/task';
import { readBatchItem } from '../register-tasks-batch/batch-item-validation';
import { TaskDefinitionDto } from './task-definition.dto';
import { toDefinitionInput } from './to-definition-input';

/** The global pipe's checks with TaskDefinitionDto, for the bodies the fast reader does not take. */
const definitionPipe = createValidationPipe();
const DEFINITION: ArgumentMetadata = { type: 'body', metatype: TaskDefinitionDto };

/**
 * A task definition body (POST /api/tasks, PUT /api/tasks/{id}) as the domain's input. The batch's
 * fast reader (plain checks with the DTO's rules, no class instances; see batch-item-validation.ts)
 * takes the common case: the global ValidationPipe's class-transformer copy and class-validator walk
 * were about a tenth of a single registration's CPU. Anything it does not take on, valid or not, goes
 * through that pipe with TaskDefinitionDto, which words every error as before. Controllers type the
 * body `unknown`, so the global pipe leaves it to this.
 */
export async function readTaskDefinition(body: unknown): Promise<TaskDefinitionInput> {
  const fast = readBatchItem(body);
  if (fast && fast.id === undefined) return fast.definition; // `id` is a batch item's field, not this DTO's
  return toDefinitionInput((await definitionPipe.transform(body, DEFINITION)) as TaskDefinitionDto);
}
