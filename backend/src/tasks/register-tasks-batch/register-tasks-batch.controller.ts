import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldProblem } from '../../api/problem';
import { flattenValidationErrors } from '../../api/validation.pipe';
import { IdGenerator } from '../clock';
import { toDefinitionInput } from '../http/to-definition-input';
import {
  type BatchItem,
  type BatchItemResult,
  RegisterTasksBatchCommand,
} from './register-tasks-batch.command';
import { BatchTaskDto, RegisterTasksBatchDto } from './register-tasks-batch.dto';

@ApiTags('tasks')
@Controller('api/tasks')
export class RegisterTasksBatchController {
  constructor(
    private readonly commands: CommandBus,
    private readonly ids: IdGenerator,
  ) {}

  @Post('batch')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Register up to 1,000 tasks in one call',
    description:
      'Answers one result per item, in request order: 201 registered, 200 already registered, 400 or 409 with the reason.',
  })
  @ApiOkResponse({
    description: '{ items: [ { status, id, revision, position } | { status, code, detail, errors } ] }',
  })
  async registerBatch(@Body() body: RegisterTasksBatchDto): Promise<{ items: BatchItemResult[] }> {
    const results: BatchItemResult[] = new Array<BatchItemResult>(body.items.length);
    const valid: { index: number; item: BatchItem }[] = [];
    // Synchronous on purpose: every validator here is, and a thousand promises cost more than the checks.
    body.items.forEach((raw, index) => {
      const { dto, problems } = validateItem(raw);
      if (!dto || problems.length > 0) {
        const errors = problems.map((p) => ({
          ...p,
          field: p.field ? `items[${index}].${p.field}` : `items[${index}]`,
        }));
        results[index] = {
          status: 400,
          code: 'validation_failed',
          detail: errors.map((e) => `${e.field}: ${e.reason}`).join('; '),
          field: errors[0].field,
          errors,
        };
        return;
      }
      const { id, ...definition } = dto;
      valid.push({
        index,
        item: { taskId: id?.toLowerCase() ?? this.ids.newId(), definition: toDefinitionInput(definition) },
      });
    });
    valid.sort((a, b) => a.index - b.index);
    const outcomes = await this.commands.execute(new RegisterTasksBatchCommand(valid.map((v) => v.item)));
    valid.forEach(({ index }, i) => (results[index] = outcomes[i]));
    return { items: results };
  }
}

function validateItem(raw: unknown): { dto?: BatchTaskDto; problems: FieldProblem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: [{ field: '', reason: 'must be an object' }] };
  }
  const dto = plainToInstance(BatchTaskDto, raw);
  const errors = validateSync(dto, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  return { dto, problems: flattenValidationErrors(errors) };
}
