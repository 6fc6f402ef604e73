import type { TaskDefinitionInput } from '../../tasks/domain/task';
import type { TaskCommand } from '../../tasks/domain/task.commands';
import { decide } from '../../tasks/domain/task.decider';
import { type TaskState, evolve, initialTaskState } from '../../tasks/domain/task.state';
import { LedgerRows } from './ledger-rows';

const TASK = '6f0c2a8e-3b1d-4c7e-9a55-0d2b6c1e4f70';
const T0 = Date.parse('2026-11-24T09:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();

/** Decides commands on simulated time and feeds every event to one LedgerRows, as the projector does. */
function history(definition: Partial<TaskDefinitionInput> = {}) {
  let ledger = new LedgerRows();
  let state: TaskState = initialTaskState;
  let position = 0;
  const run = (type: TaskCommand['type'], seconds: number, data: Record<string, unknown> = {}) => {
    const command = { type, data: { taskId: TASK, ...data } } as TaskCommand;
    for (const event of decide(command, state, at(seconds))) {
      const after = evolve(state, event);
      ledger.apply(TASK, state, after, event, ++position);
      state = after;
    }
  };
  run('RegisterTask', 0, {
    bucket: 1,
    definition: {
      name: 'every 10 s',
      schedule: { kind: 'cron', expression: '*/10 * * * * *', timezone: 'UTC' },
      action: { kind: 'log', message: 'x' },
      ...definition,
    },
  });
  const fire = (seconds: number) => {
    if (state.status === 'none') throw new Error('no task');
    const due = state.scheduled.find((s) => Date.parse(s.dueAt) <= T0 + seconds * 1000);
    if (due) run('FireOccurrence', seconds, { occurrence: due.occurrence, attempt: 1, workerId: 'w' });
  };
  return {
    get ledger() {
      return ledger;
    },
    /** The projector's next batch: rows collected from here on. */
    nextBatch: () => (ledger = new LedgerRows()),
    run,
    fire,
  };
}

describe('LedgerRows', () => {
  it('opens a schedule version at registration', () => {
    const { ledger } = history();
    expect(ledger.rows()).toEqual({
      closes: [],
      versions: [
        {
          task_id: TASK,
          opened_position: 1,
          since: iso(0),
          schedule: { kind: 'cron', expression: '*/10 * * * * *', timezone: 'UTC' },
          until: null,
          until_reason: null,
          dropped_from: null,
          position: 1,
        },
      ],
      pauses: [],
      skips: [],
    });
  });

  it('holds a pause from the due occurrence it dropped unfired, and ends it at the resume', () => {
    const { ledger, run } = history();
    run('PauseTask', 15); // occurrence 1 was due at 10 s and has not fired
    expect(ledger.rows().pauses).toEqual([
      {
        task_id: TASK,
        paused_at: iso(15),
        owed_from: iso(10),
        resumed_at: null,
        paused_position: 2,
        position: 2,
      },
    ]);
    run('ResumeTask', 95);
    expect(ledger.rows().pauses).toEqual([
      {
        task_id: TASK,
        paused_at: iso(15),
        owed_from: iso(10),
        resumed_at: iso(95),
        paused_position: 2,
        position: 3,
      },
    ]);
  });

  it('starts a pause at the pause when the pending occurrence is not due yet', () => {
    const { ledger, run } = history();
    run('PauseTask', 5);
    expect(ledger.rows().pauses[0]).toMatchObject({ paused_at: iso(5), owed_from: iso(5) });
  });

  it('closes the old schedule at a change, noting the due occurrence it dropped', () => {
    const life = history();
    life.run('UpdateTask', 12, {
      changes: { schedule: { kind: 'interval', everySeconds: 5 } },
    });
    expect(life.ledger.rows().versions).toEqual([
      expect.objectContaining({
        since: iso(0),
        until: iso(12),
        until_reason: 'rescheduled',
        dropped_from: iso(10),
      }),
      expect.objectContaining({
        since: iso(12),
        schedule: { kind: 'interval', everySeconds: 5 },
        until: null,
        dropped_from: null,
      }),
    ]);
  });

  it('closes a version stored by an earlier batch by task, then writes the new one', () => {
    const life = history();
    life.nextBatch();
    life.run('UpdateTask', 12, { changes: { schedule: { kind: 'interval', everySeconds: 5 } } });
    life.run('UpdateTask', 12, { changes: { schedule: { kind: 'interval', everySeconds: 6 } } });
    const rows = life.ledger.rows();
    expect(rows.closes).toEqual([
      { task_id: TASK, until: iso(12), until_reason: 'rescheduled', dropped_from: iso(10), position: 2 },
    ]);
    // Two changes in one millisecond: two versions, the first ended where it began.
    expect(rows.versions).toEqual([
      expect.objectContaining({ opened_position: 2, since: iso(12), until: iso(12), dropped_from: null }),
      expect.objectContaining({ opened_position: 4, since: iso(12), until: null }),
    ]);
  });

  it('records skipped occurrences with their reason', () => {
    const { ledger, fire } = history({ misfire: 'skip' });
    fire(200); // occurrence 1, due at 10 s, found 190 s late
    expect(ledger.rows().skips).toEqual([
      {
        task_id: TASK,
        occurrence: 1,
        due_at: iso(10),
        reason: 'misfire',
        skipped_at: iso(200),
        calendar_id: null,
        position: 2,
      },
    ]);
  });

  it('ends the schedule at deletion and at completion; a completed task’s new schedule is none', () => {
    const deleted = history();
    deleted.fire(10);
    deleted.run('DeleteTask', 14);
    expect(deleted.ledger.rows().versions).toEqual([
      expect.objectContaining({ until: iso(14), until_reason: 'deleted', dropped_from: null }),
    ]);

    const done = history({ schedule: { kind: 'once', at: iso(10) } });
    done.fire(10);
    done.run('RecordExecutionOutcome', 11, {
      occurrence: 1,
      attempt: 1,
      outcome: 'succeeded',
      startedAt: iso(10),
      finishedAt: iso(11),
    });
    done.run('UpdateTask', 20, { changes: { schedule: { kind: 'interval', everySeconds: 5 } } });
    expect(done.ledger.rows().versions).toEqual([
      expect.objectContaining({ since: iso(0), until: iso(11), until_reason: 'completed' }),
    ]);
  });
});
