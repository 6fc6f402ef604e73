import { Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type Static, Type } from '@sinclair/typebox';
import { ValidQuery } from '../../api/valid-query';
import { LabelFilter } from '../http/label-filter';
import { type BulkResult, PauseResumeByLabelCommand } from './pause-resume-by-label.command';

/** Which tasks: all carrying every label given (at least one: a bulk call never means "everything"). */
const ByLabel = Type.Object({ label: LabelFilter() }, { additionalProperties: false });

export class BulkResultView implements BulkResult {
  @ApiProperty({ description: 'tasks carrying every label given (deleted ones aside)' }) matched!: number;
  @ApiProperty({ description: 'of those, the ones whose status changed' }) changed!: number;
}

@ApiTags('tasks')
@Controller('api/tasks')
export class PauseResumeByLabelController {
  constructor(private readonly commands: CommandBus) {}

  @Post('pause')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Pause every task with these labels (?label=team:billing, repeated: all must match)',
  })
  @ApiOkResponse({ type: BulkResultView })
  pause(@ValidQuery(ByLabel) query: Static<typeof ByLabel>): Promise<BulkResult> {
    return this.commands.execute(new PauseResumeByLabelCommand('pause', query.label));
  }

  @Post('resume')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resume every task with these labels (?label=team:billing, repeated: all must match)',
  })
  @ApiOkResponse({ type: BulkResultView })
  resume(@ValidQuery(ByLabel) query: Static<typeof ByLabel>): Promise<BulkResult> {
    return this.commands.execute(new PauseResumeByLabelCommand('resume', query.label));
  }
}
