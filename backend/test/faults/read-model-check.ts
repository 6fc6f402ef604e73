import { Client } from 'pg';
import { sleep } from '../wait-for';

/**
 * Whether the read model agrees with the event log for these tasks, once the projector has caught up
 * with the log's head: one executions row per started attempt with the recorded outcome, and each
 * task row at its stream's revision. Call it when nothing appends any more. Returns the disagreements.
 */
export async function readModelDisagreements(
  databaseUrl: string,
  taskIds: string[],
  catchUpTimeoutMs = 15_000,
): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const head = Number(
      (await client.query('SELECT coalesce(max(position), 0) AS p FROM event_store.events')).rows[0].p,
    );
    const deadline = Date.now() + catchUpTimeoutMs;
    for (;;) {
      const { rows } = await client.query(
        `SELECT position FROM read_model.checkpoints WHERE projector = 'read-model'`,
      );
      if (Number(rows[0]?.position ?? 0) >= head) break;
      if (Date.now() > deadline)
        return [`projector still behind the log's head ${head} after ${catchUpTimeoutMs} ms`];
      await sleep(200);
    }
    const streams = taskIds.map((id) => `task-${id}`);
    const { rows: log } = await client.query(
      `SELECT substr(stream_id, 6) AS task, data->>'occurrence' AS occurrence, data->>'attempt' AS attempt,
              max(CASE WHEN type = 'TaskExecuted' THEN data->>'outcome' END) AS outcome
         FROM event_store.events
        WHERE stream_id = ANY($1) AND type IN ('TaskExecutionStarted', 'TaskExecuted')
        GROUP BY 1, 2, 3`,
      [streams],
    );
    const { rows: model } = await client.query(
      `SELECT task_id::text AS task, occurrence::text, attempt::text, outcome
         FROM read_model.executions WHERE task_id = ANY($1::uuid[])`,
      [taskIds],
    );
    const problems: string[] = [];
    const key = (r: { task: string; occurrence: string; attempt: string }) =>
      `${r.task}:${r.occurrence}:${r.attempt}`;
    const projected = new Map(model.map((r) => [key(r), r.outcome as string | null]));
    for (const row of log) {
      if (!projected.has(key(row))) problems.push(`execution ${key(row)} missing from the read model`);
      else if (projected.get(key(row)) !== row.outcome)
        problems.push(
          `execution ${key(row)}: read model says ${projected.get(key(row))}, log says ${row.outcome}`,
        );
    }
    if (model.length > log.length)
      problems.push(`${model.length - log.length} executions in the read model not in the log`);
    const { rows: revisions } = await client.query(
      `SELECT t.task_id::text AS task, t.revision AS model, s.revision AS log
         FROM read_model.tasks t JOIN event_store.streams s ON s.stream_id = 'task-' || t.task_id::text
        WHERE t.task_id = ANY($1::uuid[]) AND t.revision <> s.revision`,
      [taskIds],
    );
    for (const r of revisions)
      problems.push(`task ${r.task}: read model at revision ${r.model}, log at ${r.log}`);
    return problems;
  } finally {
    await client.end();
  }
}
