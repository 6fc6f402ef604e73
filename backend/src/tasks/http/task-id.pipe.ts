import { type PipeTransform } from '@nestjs/common';
import { validationProblem } from '../../api/problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Task ids are UUIDs, kept in lower case so one task never has two streams; anything else is a 400
 * naming the `id` path parameter.
 */
export const TaskIdPipe: PipeTransform<string, string> = {
  transform(value: string): string {
    if (!UUID.test(value)) throw validationProblem([{ field: 'id', reason: 'must be a UUID' }]);
    return value.toLowerCase();
  },
};
