import { PartialType } from '@nestjs/swagger';
import { TaskDefinitionDto } from '../http/task-definition.dto';

/** Any subset of a task's fields; those given replace the current ones (a retry policy merges). */
export class UpdateTaskDto extends PartialType(TaskDefinitionDto) {}
