import { Body, Controller, HttpCode, Post, type ArgumentMetadata } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createValidationPipe } from '../../api/validation.pipe';
import { IdGenerator } from '../clock';
import { readBatchItem, validateBatchItemWithDto } from './batch-item-validation';
import {
  type BatchItem,
  type BatchItemResult,
  RegisterTasksBatchCommand,
} from './register-tasks-batch.command';
import { BatchResultView, MAX_BATCH_ITEMS, RegisterTasksBatchDto } from './register-tasks-batch.dto';

/** The global pipe's checks of the envelope, run here only when the envelope is not the plain case. */
const envelopePipe = createValidationPipe();
const ENVELOPE: ArgumentMetadata = { type: 'body', metatype: RegisterTasksBatchDto };

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
  @ApiBody({ type: RegisterTasksBatchDto })
  @ApiOkResponse({ type: BatchResultView })
  // The body is typed `unknown` so that the global ValidationPipe leaves it alone: for a thousand items
  // its walk over every key and its class-transformer copy of every item cost more than the checks. The
  // envelope is checked here instead (by that same pipe whenever it is not the plain case), and each
  // item once (see batch-item-validation.ts).
  async registerBatch(@Body() body: unknown): Promise<{ items: BatchItemResult[] }> {
    const items =
      plainEnvelopeItems(body) ??
      ((await envelopePipe.transform(body, ENVELOPE)) as RegisterTasksBatchDto).items;
    const results: BatchItemResult[] = new Array<BatchItemResult>(items.length);
    const validIndexes: number[] = [];
    const valid: BatchItem[] = [];
    // Synchronous on purpose: every validator here is, and a thousand promises cost more than the checks.
    for (let index = 0; index < items.length; index++) {
      const fast = readBatchItem(items[index]);
      const checked = fast ? { item: fast } : validateBatchItemWithDto(items[index]);
      if (!checked.item) {
        const errors = checked.problems.map((p) => ({
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
        continue;
      }
      const { id, definition } = checked.item;
      validIndexes.push(index);
      valid.push({ taskId: id?.toLowerCase() ?? this.ids.newId(), definition });
    }
    const outcomes = await this.commands.execute(new RegisterTasksBatchCommand(valid));
    for (let i = 0; i < validIndexes.length; i++) results[validIndexes[i]] = outcomes[i];
    return { items: results };
  }
}

/** The items of `{ "items": [...] }` with 1 to 1,000 of them and nothing else; otherwise undefined. */
function plainEnvelopeItems(body: unknown): unknown[] | undefined {
  if (typeof body !== 'object' || body === null || Object.getPrototypeOf(body) !== Object.prototype) {
    return undefined;
  }
  const keys = Object.keys(body);
  const items = (body as { items?: unknown }).items;
  if (keys.length !== 1 || keys[0] !== 'items' || !Array.isArray(items)) return undefined;
  return items.length >= 1 && items.length <= MAX_BATCH_ITEMS ? items : undefined;
}
