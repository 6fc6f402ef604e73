import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { ProblemException, validationProblem } from '../../api/problem';
import { ValidQuery } from '../../api/valid-query';
import { TaskIdPipe } from '../../tasks/http/task-id.pipe';
import { ReadYourWrites } from '../read-your-writes';
import { DEFAULT_LEDGER_WINDOW_MS, MAX_LEDGER_INSTANTS, OccurrenceLedgerView } from './list-occurrences.dto';
import { ListOccurrencesQueryParams } from './list-occurrences.query-schema';
import { ListOccurrencesQuery } from './list-occurrences.query';

@ApiTags('tasks')
@Controller('api/tasks')
export class ListOccurrencesController {
  constructor(
    private readonly readYourWrites: ReadYourWrites,
    private readonly occurrences: ListOccurrencesQuery,
  ) {}

  @Get(':id/occurrences')
  @ApiOperation({
    summary: 'The occurrence ledger: what became of each due instant of the schedule in [from, to)',
    description:
      `One item per due instant, oldest first, with its run, or why it did not run (skipped and why, ` +
      `paused, misfired); manual triggers and catch-up runs as extra items. At most ` +
      `${MAX_LEDGER_INSTANTS} instants per answer (400 naming \`from\` beyond).`,
  })
  @ApiOkResponse({ type: OccurrenceLedgerView })
  async list(
    @Param('id', TaskIdPipe) id: string,
    @ValidQuery(ListOccurrencesQueryParams) query: Static<typeof ListOccurrencesQueryParams>,
  ): Promise<OccurrenceLedgerView> {
    const now = new Date();
    const to = query.to === undefined ? now : new Date(query.to);
    const from =
      query.from === undefined ? new Date(to.getTime() - DEFAULT_LEDGER_WINDOW_MS) : new Date(query.from);
    if (from >= to) {
      throw validationProblem([{ field: 'from', reason: `must be before to (${to.toISOString()})` }]);
    }
    await this.readYourWrites.reach(query.minPosition);
    const ledger = await this.occurrences.run(id, { from, to, now });
    if (!ledger) throw new ProblemException(404, 'task_not_found', 'Task not found', `no task ${id}`);
    return ledger;
  }
}
