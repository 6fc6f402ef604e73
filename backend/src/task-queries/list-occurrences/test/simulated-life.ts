import { startTimeOf } from '../../../tasks/domain/jitter';
import type { RecordedEvent } from '../../../event-store/event-store';
import type { TaskDefinitionInput } from '../../../tasks/domain/task';
import type { TaskCommand } from '../../../tasks/domain/task.commands';
import { decide } from '../../../tasks/domain/task.decider';
import { TaskDomainError } from '../../../tasks/domain/task.errors';
import { taskStreamId } from '../../../tasks/domain/task.events';
import { type TaskState, evolve, initialTaskState } from '../../../tasks/domain/task.state';

export const LIFE_TASK_ID = '5d7e2c1a-9b3f-4e8d-a6c2-1f0e9d8c7b6a';

/** What happens in one step of a simulated life, after the clock moved on by `advanceMs`. */
export type LifeStep =
  | { advanceMs: number; kind: 'fire' | 'pause' | 'resume' | 'trigger' | 'delete' }
  | { advanceMs: number; kind: 'finish'; outcome: 'succeeded' | 'failed' | 'timed_out' }
  | { advanceMs: number; kind: 'update'; changes: Partial<TaskDefinitionInput> };

/**
 * A task's life decided by the domain's own decide on a simulated clock, recorded as a store would:
 * `fire` plays a worker that fires everything due, in due order; `finish` records an outcome for
 * every running execution. Refused commands are left out, as the API would refuse them.
 */
export function simulateLife(
  definition: TaskDefinitionInput,
  steps: readonly LifeStep[],
  start: number,
): { events: RecordedEvent[]; now: number; state: TaskState } {
  const events: RecordedEvent[] = [];
  let state: TaskState = initialTaskState;
  let now = start;
  const run = (command: TaskCommand) => {
    let decided;
    try {
      decided = decide(command, state, new Date(now));
    } catch (error) {
      if (error instanceof TaskDomainError) return;
      throw error;
    }
    for (const event of decided) {
      state = evolve(state, event);
      const recorded: RecordedEvent = {
        streamId: taskStreamId(LIFE_TASK_ID),
        type: event.type,
        // As read back from a store: a JSON round trip.
        data: JSON.parse(JSON.stringify(event.data)) as unknown,
        metadata: {},
        revision: events.length,
        position: events.length + 1,
        recordedAt: new Date(now),
      };
      events.push(recorded);
    }
  };
  const taskId = LIFE_TASK_ID;
  run({ type: 'RegisterTask', data: { taskId, definition, bucket: 1 } });
  for (const step of steps) {
    now += step.advanceMs;
    if (state.status === 'none') break;
    switch (step.kind) {
      case 'fire': {
        // A jittered occurrence is due at its planned start (ADR 016).
        const due = state.scheduled
          .filter((s) => Date.parse(startTimeOf(s)) <= now)
          .sort((a, b) => Date.parse(startTimeOf(a)) - Date.parse(startTimeOf(b)));
        for (const s of due) {
          run({
            type: 'FireOccurrence',
            data: { taskId, occurrence: s.occurrence, attempt: s.attempt, workerId: 'w' },
          });
        }
        break;
      }
      case 'finish':
        for (const r of [...state.running]) {
          run({
            type: 'RecordExecutionOutcome',
            data: {
              taskId,
              occurrence: r.occurrence,
              attempt: r.attempt,
              outcome: step.outcome,
              startedAt: r.startedAt,
              finishedAt: new Date(Math.max(now, Date.parse(r.startedAt))).toISOString(),
            },
          });
        }
        break;
      case 'update':
        run({ type: 'UpdateTask', data: { taskId, changes: step.changes } });
        break;
      case 'pause':
        run({ type: 'PauseTask', data: { taskId } });
        break;
      case 'resume':
        run({ type: 'ResumeTask', data: { taskId } });
        break;
      case 'trigger':
        run({ type: 'TriggerTask', data: { taskId } });
        break;
      case 'delete':
        run({ type: 'DeleteTask', data: { taskId } });
        break;
    }
  }
  return { events, now, state };
}
