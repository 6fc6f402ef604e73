import { Command } from '@nestjs/cqrs';
import type { TaskDefinitionInput } from '../../tasks/domain/task';

export interface BatchItem {
  taskId: string;
  definition: TaskDefinitionInput;
}

/** One item's outcome, in request order: registered (or already was), or why not. */
export type BatchItemResult =
  | { status: 200 | 201; id: string; revision: number; position: number }
  | {
      status: 400 | 409;
      id?: string;
      code: string;
      detail: string;
      field?: string;
      errors?: { field: string; reason: string }[];
    };

/** Register many tasks in one call: new ones are appended together in one transaction. */
export class RegisterTasksBatchCommand extends Command<BatchItemResult[]> {
  constructor(readonly items: BatchItem[]) {
    super();
  }
}
