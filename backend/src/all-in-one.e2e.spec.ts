import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/free-port';
import { spawnKairos } from '../test/spawn-kairos';
import { waitFor } from '../test/wait-for';

/**
 * The all-in-one process as `npm start` runs it: embedded PostgreSQL under a data folder, every role.
 * A task registered, the process stopped with Ctrl-C (SIGINT), started again: the task is still there
 * and fires; the structured log has a line per execution with the task and occurrence.
 */
describe('the all-in-one process', () => {
  jest.setTimeout(120_000);
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kairos-data-'));
    await chmod(dataDir, 0o755); // PostgreSQL runs as its own user and must reach its folder inside
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps its tasks across a Ctrl-C and a restart, and goes on firing them', async () => {
    const env = {
      KAIROS_DATA_DIR: dataDir,
      KAIROS_EMBEDDED_PG_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    };
    const first = await spawnKairos('all', env);
    const base = `http://127.0.0.1:${first.port}`;
    const created = await fetch(`${base}/api/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'survivor',
        schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
        action: { kind: 'log', message: 'still here' },
      }),
    });
    const { id } = (await created.json()) as { id: string };
    await waitFor(
      async () => first.output.join('').includes('"msg":"execution finished"'),
      10_000,
      'a first execution',
    );
    const code = await first.stop('SIGINT');
    if (code !== 0) console.log(first.output.join('').slice(-3000));
    expect(code).toBe(0);
    expect(first.output.join('')).toContain('SIGINT received, draining');

    const second = await spawnKairos('all', env);
    try {
      const task = await fetch(`http://127.0.0.1:${second.port}/api/tasks/${id}`);
      expect(task.status).toBe(200);
      expect(await task.json()).toMatchObject({ id, name: 'survivor', status: 'active' });
      const line = await waitFor(
        () => {
          const log = second.output.join('');
          const match = log
            .split('\n')
            .find((l) => l.includes('"msg":"execution finished"') && l.includes(id));
          return match;
        },
        10_000,
        'an execution after the restart',
      );
      const entry = JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>;
      expect(entry).toMatchObject({ level: 30, taskId: id, outcome: 'succeeded', context: 'executor' });
      expect(entry.occurrence).toEqual(expect.any(Number));
    } finally {
      await second.stop('SIGINT');
    }
  });
});
