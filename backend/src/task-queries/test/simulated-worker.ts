import { randomUUID } from 'node:crypto';
import { FakeClock } from '../../projections/projector/test/mixed-workload';
import type { EventStore } from '../../event-store/event-store';
import { bucketOf } from '../../tasks/domain/bucket';
import { TaskRepository } from '../../tasks/task-repository';

/**
 * Registers `count` interval tasks (every second) 30 minutes ago, then plays a worker on a fake clock:
 * per task, one execution per entry of `outcomes` (null: left running). Returns the last position.
 */
export async function runTasks(
  store: EventStore,
  count: number,
  outcomes: (string | null)[],
): Promise<{ taskIds: string[]; position: number }> {
  const clock = new FakeClock(new Date(Date.now() - 30 * 60_000));
  const repository = new TaskRepository(store, clock);
  const taskIds: string[] = [];
  let position = 0;
  for (let i = 0; i < count; i++) {
    const taskId = randomUUID();
    taskIds.push(taskId);
    await repository.execute({
      type: 'RegisterTask',
      data: {
        taskId,
        bucket: bucketOf(taskId),
        definition: {
          name: `runner-${i}`,
          schedule: { kind: 'interval', everySeconds: 1 },
          action: { kind: 'log', message: 'x' },
          retry: { maxAttempts: 1 },
          overlap: 'allow',
        },
      },
    });
  }
  for (const taskId of taskIds) position = await work(repository, clock, taskId, outcomes);
  return { taskIds, position };
}

/** Fires a task's due occurrences and records outcomes, as a worker would, on a fake clock. */
async function work(
  repository: TaskRepository,
  clock: FakeClock,
  taskId: string,
  outcomes: (string | null)[],
) {
  let position = 0;
  for (const outcome of outcomes) {
    clock.advance(1000);
    const { state } = await repository.load(taskId);
    if (state.status === 'none') throw new Error('no task');
    const due = state.scheduled.find((s) => Date.parse(s.dueAt) <= clock.now().getTime());
    if (!due) throw new Error('nothing due');
    const fired = await repository.execute({
      type: 'FireOccurrence',
      data: { taskId, occurrence: due.occurrence, attempt: due.attempt, workerId: 'worker-1' },
    });
    position = fired.position;
    if (outcome === null) continue;
    const recorded = await repository.execute({
      type: 'RecordExecutionOutcome',
      data: {
        taskId,
        occurrence: due.occurrence,
        attempt: due.attempt,
        outcome: outcome as 'succeeded',
        startedAt: clock.now().toISOString(),
        finishedAt: new Date(clock.now().getTime() + 250).toISOString(),
        ...(outcome === 'succeeded' ? { output: 'ok' } : { error: 'boom' }),
      },
    });
    position = recorded.position;
  }
  return position;
}
