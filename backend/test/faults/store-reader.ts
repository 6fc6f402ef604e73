import { Client } from 'pg';
import { type TaskEvent, scheduledBy, taskStreamId } from '../../src/tasks/domain/task.events';
import type { TaskHistory } from './occurrence-ledger';

/** TaskRegistered for the first occurrence it carries (ADR 021). */
const TYPES = [
  'TaskRegistered',
  'TaskScheduled',
  'TaskExecutionStarted',
  'TaskExecuted',
  'TaskOccurrenceSkipped',
];

/**
 * The tasks' scheduling and execution events, read by SQL from the event store's own table (the truth,
 * not the read model), instants turned into epoch ms.
 */
export async function readTaskHistories(databaseUrl: string, taskIds: string[]): Promise<TaskHistory[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ stream_id: string; type: string; data: Record<string, unknown> }>(
      `SELECT stream_id, type, data FROM event_store.events
        WHERE stream_id = ANY($1) AND type = ANY($2) ORDER BY position`,
      [taskIds.map(taskStreamId), TYPES],
    );
    const histories = new Map<string, TaskHistory>(
      taskIds.map((taskId) => [
        taskStreamId(taskId),
        { taskId, scheduled: [], started: [], executed: [], skipped: [] },
      ]),
    );
    for (const { stream_id, type, data } of rows) {
      const history = histories.get(stream_id);
      if (!history) continue;
      const ms = (field: string) => Date.parse(data[field] as string);
      const occurrence = data.occurrence as number;
      const attempt = data.attempt as number;
      if (type === 'TaskRegistered' || type === 'TaskScheduled') {
        const scheduled = scheduledBy({ type, data } as TaskEvent);
        if (scheduled) {
          const { dueAt, reason } = scheduled;
          history.scheduled.push({
            occurrence: scheduled.occurrence,
            attempt: scheduled.attempt,
            dueAt: Date.parse(dueAt),
            reason,
          });
        }
      } else if (type === 'TaskExecutionStarted') {
        history.started.push({ occurrence, attempt, dueAt: ms('dueAt'), startedAt: ms('startedAt') });
      } else if (type === 'TaskExecuted') {
        history.executed.push({
          occurrence,
          attempt,
          outcome: data.outcome as TaskHistory['executed'][number]['outcome'],
          startedAt: ms('startedAt'),
          finishedAt: ms('finishedAt'),
          durationMs: data.durationMs as number,
          error: data.error as string | undefined,
        });
      } else {
        history.skipped.push({ occurrence, dueAt: ms('dueAt'), reason: data.reason as string });
      }
    }
    return [...histories.values()];
  } finally {
    await client.end();
  }
}

/**
 * Structural soundness of the event log after a fault: every stream's revisions run 0..n without a gap
 * or a repeat, and the streams table agrees with the last one. Returns the problems found.
 */
export async function eventLogProblems(databaseUrl: string): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ stream_id: string; problem: string }>(
      `SELECT e.stream_id,
              CASE WHEN min(e.revision) <> 0 THEN 'revisions do not start at 0'
                   WHEN count(*) <> max(e.revision) + 1 THEN 'revisions have gaps or repeats'
                   WHEN s.revision IS DISTINCT FROM max(e.revision) THEN 'streams.revision disagrees' END AS problem
         FROM event_store.events e LEFT JOIN event_store.streams s USING (stream_id)
        GROUP BY e.stream_id, s.revision`,
    );
    return rows.filter((row) => row.problem !== null).map((row) => `${row.stream_id}: ${row.problem}`);
  } finally {
    await client.end();
  }
}
