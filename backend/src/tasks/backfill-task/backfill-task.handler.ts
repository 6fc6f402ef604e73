import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TaskRepository } from '../task-repository';
import { type BackfillResult, BackfillTaskCommand } from './backfill-task.command';

@CommandHandler(BackfillTaskCommand)
export class BackfillTaskHandler implements ICommandHandler<BackfillTaskCommand> {
  constructor(private readonly tasks: TaskRepository) {}

  async execute({ taskId, from, to, ifMatch }: BackfillTaskCommand): Promise<BackfillResult> {
    const result = await this.tasks.execute(
      { type: 'BackfillTask', data: { taskId, from, to } },
      { ifMatch },
    );
    const scheduled = result.events.filter((event) => event.type === 'TaskScheduled').length;
    // The task as it is now knows every instant backfilled so far: those of the window, less the new
    // ones, were backfilled before. (Only the answer reads it; the decision did not need it.)
    const { state } = await this.tasks.load(taskId);
    const [start, end] = [Date.parse(from), Date.parse(to)];
    const inWindow =
      state.status === 'none'
        ? 0
        : (state.backfilled ?? []).filter((at) => Date.parse(at) >= start && Date.parse(at) < end).length;
    return { ...result, scheduled, alreadyBackfilled: Math.max(0, inWindow - scheduled) };
  }
}
