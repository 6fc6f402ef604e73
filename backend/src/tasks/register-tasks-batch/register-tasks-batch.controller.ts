import { Body, Controller, HttpCode, Optional, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv';
import { ApiSchemaBody } from '../../api/openapi-schemas';
import { type FieldProblem, problemOfDomainError, validationProblem } from '../../api/problem';
import { KnownCalendars } from '../../calendars/http/known-calendars';
import { compileValidator, toFieldProblems } from '../../api/request-schema';
import { Foreground } from '../../runtime/foreground';
import { IdGenerator } from '../clock';
import type { CommandOutcome } from '../task-repository';
import { type BatchItem, RegisterTasksBatchCommand } from './register-tasks-batch.command';
import { RegisterTasksBatch } from './register-tasks-batch.schema';
import { BatchResultView } from './register-tasks-batch.view';

const validateBatch = compileValidator(RegisterTasksBatch);
type BatchTask = Static<typeof RegisterTasksBatch>['items'][number];

/** One item's result, in request order: registered (201), already registered (200), or refused. */
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

@ApiTags('tasks')
@Controller('api/tasks')
export class RegisterTasksBatchController {
  /** Tasks in batches being registered now: background work (the projector) lets them go first. */
  private registering = 0;

  constructor(
    private readonly commands: CommandBus,
    private readonly ids: IdGenerator,
    private readonly calendars: KnownCalendars,
    @Optional() foreground?: Foreground,
  ) {
    foreground?.add(() => this.registering);
  }

  @Post('batch')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Register up to 1,000 tasks in one call',
    description:
      'Answers one result per item, in request order: 201 registered, 200 already registered, 400 or 409 with the reason.',
  })
  @ApiSchemaBody(RegisterTasksBatch)
  @ApiOkResponse({ type: BatchResultView })
  async registerBatch(@Body() body: unknown): Promise<{ items: BatchItemResult[] }> {
    const { items, itemErrors } = checkBatch(body);
    this.registering += items.length;
    try {
      return await this.register(items, itemErrors);
    } finally {
      this.registering -= items.length;
    }
  }

  private async register(
    items: BatchTask[],
    itemErrors: Map<number, ErrorObject[]>,
  ): Promise<{ items: BatchItemResult[] }> {
    const results = new Array<BatchItemResult>(items.length);
    const candidates: { index: number; taskId: string }[] = [];
    const ids = new Set<string>();
    for (let index = 0; index < items.length; index++) {
      const errors = itemErrors.get(index);
      if (errors) {
        results[index] = refused(errors);
        continue;
      }
      const taskId = items[index].id?.toLowerCase() ?? this.ids.newId();
      if (ids.has(taskId)) {
        results[index] = {
          status: 409,
          id: taskId,
          code: 'duplicate_id',
          detail: `id ${taskId} appears twice in this batch`,
        };
        continue;
      }
      ids.add(taskId);
      candidates.push({ index, taskId });
    }
    const calendarProblems = await this.calendars.problemsOfEach(
      candidates.map(({ index }) => items[index].calendars),
    );
    const validIndexes: number[] = [];
    const valid: BatchItem[] = [];
    candidates.forEach(({ index, taskId }, i) => {
      if (calendarProblems[i].length > 0) {
        results[index] = refusedFor(calendarProblems[i]);
        return;
      }
      const { id: _given, ...definition } = items[index];
      validIndexes.push(index);
      valid.push({ taskId, definition });
    });
    const outcomes = await this.commands.execute(new RegisterTasksBatchCommand(valid));
    for (let i = 0; i < validIndexes.length; i++)
      results[validIndexes[i]] = toItemResult(valid[i].taskId, outcomes[i]);
    return { items: results };
  }
}

/**
 * The body checked once against the batch's schema, its errors sorted by item: an error in an item
 * refuses that item alone; one in the envelope (no items, too many, an unknown field) the whole request.
 */
function checkBatch(body: unknown): { items: BatchTask[]; itemErrors: Map<number, ErrorObject[]> } {
  const errors = validateBatch(body) ?? [];
  const itemErrors = new Map<number, ErrorObject[]>();
  const envelopeErrors: ErrorObject[] = [];
  for (const error of errors) {
    const index = /^\/items\/(\d+)(?:\/|$)/.exec(error.instancePath)?.[1];
    if (index === undefined) envelopeErrors.push(error);
    else itemErrors.set(Number(index), [...(itemErrors.get(Number(index)) ?? []), error]);
  }
  if (envelopeErrors.length > 0) throw validationProblem(toFieldProblems(envelopeErrors));
  return { items: (body as Static<typeof RegisterTasksBatch>).items, itemErrors };
}

function toItemResult(id: string, outcome: CommandOutcome): BatchItemResult {
  if (outcome.ok) {
    const { revision, position, events } = outcome.result;
    return { status: events.length > 0 ? 201 : 200, id, revision, position };
  }
  const problem = problemOfDomainError(outcome.error);
  // A registration is refused as invalid (400) or as conflicting with what is there (409), nothing else.
  const status = problem.status === 400 ? 400 : 409;
  return {
    status,
    id,
    code: problem.code,
    detail: problem.message,
    ...(outcome.error.field && { field: outcome.error.field }),
  };
}

function refused(errors: ErrorObject[]): BatchItemResult {
  return refusedFor(toFieldProblems(errors));
}

function refusedFor(problems: FieldProblem[]): BatchItemResult {
  return {
    status: 400,
    code: 'validation_failed',
    detail: problems.map((p) => `${p.field}: ${p.reason}`).join('; '),
    field: problems[0].field,
    errors: problems,
  };
}
