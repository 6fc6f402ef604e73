import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../test/free-port';
import { startTestApp, type TestApp } from '../../test/test-app';
import { waitFor } from '../../test/wait-for';
import { bufferIo, EXIT, runCli } from './main';

const root = join(__dirname, '../../..');

describe('kairos CLI (e2e, real server)', () => {
  let api: TestApp;
  let dir: string;

  beforeAll(async () => {
    api = await startTestApp({}, { roles: 'api,projector,worker' });
    dir = await mkdtemp(join(tmpdir(), 'kairos-cli-'));
  });
  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function kairos(argv: string[], options: { stdin?: string; signal?: AbortSignal } = {}) {
    const io = bufferIo({ env: { KAIROS_URL: api.baseUrl }, ...options });
    const code = await runCli(argv, io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  }

  async function json(argv: string[]): Promise<any> {
    const result = await kairos([...argv, '--json']);
    expect(result).toMatchObject({ code: EXIT.ok, stderr: '' });
    return JSON.parse(result.stdout);
  }

  const createdId = (stdout: string) =>
    /^created ([0-9a-f-]{36}) \(revision 0\)$/m.exec(stdout)?.[1] as string;

  let flagsId: string;
  let fileId: string;

  it('creates a task from flags', async () => {
    const result = await kairos([
      'create',
      '--name',
      'cli-hourly',
      '--every',
      '3600',
      '--log',
      'hello from cli',
    ]);
    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toBe('');
    flagsId = createdId(result.stdout);
    expect(flagsId).toBeDefined();
  });

  it('creates a task from --file and from stdin (-)', async () => {
    const path = join(dir, 'task.json');
    await writeFile(
      path,
      JSON.stringify({
        name: 'cli-file-cron',
        schedule: { kind: 'cron', expression: '0 9 * * *', timezone: 'Europe/Berlin' },
        action: { kind: 'log', message: 'from a file' },
      }),
    );
    const fromFile = await kairos(['create', '--file', path]);
    expect(fromFile.code).toBe(EXIT.ok);
    fileId = createdId(fromFile.stdout);
    expect(fileId).toBeDefined();

    const stdin = JSON.stringify({
      name: 'cli-stdin-http',
      schedule: { kind: 'once', at: '2099-01-01T00:00:00Z' },
      action: { kind: 'http', url: 'http://127.0.0.1:9/hook', method: 'PUT', headers: { 'X-A': 'b' } },
    });
    const fromStdin = await kairos(['create', '--file', '-', '--json'], { stdin });
    expect(fromStdin.code).toBe(EXIT.ok);
    expect(JSON.parse(fromStdin.stdout)).toEqual({
      id: expect.any(String),
      revision: 0,
      position: expect.any(Number),
    });
  });

  it('lists tasks as a table and as JSON', async () => {
    const page = await waitFor(
      async () => {
        const body = await json(['list', '--search', 'cli-', '--limit', '10']);
        return body.items.length === 3 ? body : undefined;
      },
      10_000,
      'three cli tasks listed',
    );
    expect(page.items.map((t: any) => t.id)).toEqual(expect.arrayContaining([flagsId, fileId]));

    const table = await kairos(['list', '--search', 'cli-']);
    expect(table.code).toBe(EXIT.ok);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATUS\s+SCHEDULE\s+NEXT RUN$/);
    expect(lines).toHaveLength(4);
    const hourly = lines.find((l) => l.includes(flagsId)) ?? '';
    expect(hourly).toMatch(/cli-hourly\s+active\s+every hour\s+\d{4}-\d\d-\d\dT.*\(in \d+m\)/);
    expect(lines.find((l) => l.includes(fileId))).toContain('cron "0 9 * * *" in Europe/Berlin');
    // The columns line up: every row starts its name where the header does.
    const nameColumn = lines[0].indexOf('NAME');
    for (const line of lines.slice(1)) expect(line.slice(nameColumn)).toMatch(/^cli-/);
  });

  it('gets a task', async () => {
    const result = await kairos(['get', flagsId]);
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toMatch(new RegExp(`^id:\\s+${flagsId}$`, 'm'));
    expect(result.stdout).toMatch(/^name:\s+cli-hourly$/m);
    expect(result.stdout).toMatch(/^status:\s+active$/m);
    expect(result.stdout).toMatch(/^schedule:\s+every hour$/m);
    expect(result.stdout).toMatch(/^action:\s+log "hello from cli"$/m);
    expect(result.stdout).toMatch(/^last execution:\s+-$/m);
    expect(result.stdout).toMatch(/^next occurrences:\n( {2}\d{4}-.*\n){5}/m);
    const body = await json(['get', flagsId]);
    expect(body).toMatchObject({ id: flagsId, name: 'cli-hourly', status: 'active' });
  });

  it('pauses and resumes a task', async () => {
    const paused = await kairos(['pause', flagsId]);
    expect(paused).toMatchObject({
      code: EXIT.ok,
      stdout: expect.stringMatching(new RegExp(`^paused ${flagsId} \\(revision \\d+\\)\n$`)),
    });
    await waitFor(async () => (await json(['get', flagsId])).status === 'paused', 10_000, 'paused');
    const pausedList = await json(['list', '--status', 'paused']);
    expect(pausedList.items.map((t: any) => t.id)).toEqual([flagsId]);

    const resumed = await kairos(['resume', flagsId]);
    expect(resumed).toMatchObject({
      code: EXIT.ok,
      stdout: expect.stringMatching(new RegExp(`^resumed ${flagsId} \\(revision \\d+\\)\n$`)),
    });
    await waitFor(async () => (await json(['get', flagsId])).status === 'active', 10_000, 'active again');
  });

  it('creates labelled tasks, lists them by label, and pauses and resumes them all', async () => {
    const labelled = [];
    for (const name of ['cli-billing-1', 'cli-billing-2']) {
      const created = await kairos([
        'create',
        '--name',
        name,
        '--every',
        '3600',
        '--log',
        'x',
        '--label',
        'team:cli-billing',
      ]);
      labelled.push(createdId(created.stdout));
    }
    await waitFor(
      async () => (await json(['list', '--label', 'team:cli-billing'])).items.length === 2,
      10_000,
      'both labelled tasks listed',
    );
    expect((await json(['list', '--label', 'team:cli-billing'])).items.map((t: any) => t.id).sort()).toEqual(
      labelled.sort(),
    );
    expect(await kairos(['pause', '--label', 'team:cli-billing'])).toMatchObject({
      code: EXIT.ok,
      stdout: 'paused 2 of 2 matching tasks\n',
    });
    expect(await json(['resume', '--label', 'team:cli-billing'])).toEqual({ matched: 2, changed: 2 });
    expect(
      await kairos(['create', '--name', 'bad', '--every', '5', '--log', 'x', '--label', 'nocolon']),
    ).toMatchObject({
      code: EXIT.usage,
    });
  });

  it('creates a task with --jitter-ms and shows the jitter with get', async () => {
    const created = await kairos([
      'create',
      '--name',
      'cli-jitter',
      '--every',
      '3600',
      '--log',
      'x',
      '--jitter-ms',
      '1500',
    ]);
    expect(created.code).toBe(EXIT.ok);
    const id = createdId(created.stdout);
    await waitFor(async () => (await kairos(['get', id])).code === EXIT.ok, 10_000, 'the task readable');
    expect((await json(['get', id])).jitterMs).toBe(1500);
    expect((await kairos(['get', id])).stdout).toMatch(/^jitter:\s+up to 1500 ms$/m);
    const bad = await kairos([
      'create',
      '--name',
      'bad',
      '--every',
      '5',
      '--log',
      'x',
      '--jitter-ms',
      '3600001',
    ]);
    expect(bad.code).toBe(EXIT.api);
    expect(bad.stderr).toContain('jitterMs');
    expect(
      (await kairos(['create', '--name', 'bad', '--every', '5', '--log', 'x', '--jitter-ms', 'soon'])).code,
    ).toBe(EXIT.usage);
  });

  it('creates a task with a failure alert and shows it; a bad alert URL is refused at its field', async () => {
    const created = await kairos([
      'create',
      '--name',
      'cli-alerting',
      '--every',
      '3600',
      '--log',
      'x',
      '--on-failure-url',
      'https://alerts.example.com/kairos',
    ]);
    const id = createdId(created.stdout);
    await waitFor(async () => (await kairos(['get', id])).code === EXIT.ok, 10_000, 'the task readable');
    expect((await json(['get', id])).onFailure).toEqual({
      kind: 'http',
      url: 'https://alerts.example.com/kairos',
    });
    expect((await kairos(['get', id])).stdout).toMatch(
      /on failure:\s+http POST https:\/\/alerts\.example\.com\/kairos/,
    );
    const bad = await kairos([
      'create',
      '--name',
      'b',
      '--every',
      '5',
      '--log',
      'x',
      '--on-failure-url',
      'nope',
    ]);
    expect(bad.code).toBe(EXIT.api);
    expect(bad.stderr).toContain('onFailure.url');
  });

  it('creates a task with a concurrency limit and shows it', async () => {
    const base = ['create', '--name', 'cli-limited', '--every', '3600', '--log', 'x'];
    const created = await kairos([...base, '--concurrency-key', 'cli-db', '--concurrency-limit', '2']);
    expect(created.code).toBe(EXIT.ok);
    const id = createdId(created.stdout);
    await waitFor(async () => (await kairos(['get', id])).code === EXIT.ok, 10_000, 'the task readable');
    expect((await json(['get', id])).concurrency).toEqual({ key: 'cli-db', limit: 2 });
    expect((await kairos(['get', id])).stdout).toMatch(/concurrency:\s+key cli-db, at most 2 at once/);
    expect(await kairos([...base, '--concurrency-key', 'cli-db'])).toMatchObject({ code: EXIT.usage });
    const refused = await kairos([...base, '--concurrency-key', 'cli-db', '--concurrency-limit', '0']);
    expect(refused.code).toBe(EXIT.api);
    expect(refused.stderr).toContain('concurrency');
  });

  it('triggers a task, shows its executions and follows them with tail', async () => {
    const controller = new AbortController();
    const tail = kairos(['tail', flagsId, '--interval', '100'], { signal: controller.signal });

    const triggered = await kairos(['trigger', flagsId]);
    expect(triggered.code).toBe(EXIT.ok);
    expect(triggered.stdout).toMatch(new RegExp(`^triggered ${flagsId} \\(revision \\d+\\)$`, 'm'));

    const page = await waitFor(
      async () => {
        const body = await json(['executions', flagsId, '--outcome', 'succeeded']);
        return body.items.length ? body : undefined;
      },
      15_000,
      'a succeeded execution',
    );
    expect(page.items[0]).toMatchObject({ taskId: flagsId, outcome: 'succeeded' });

    const table = await kairos(['executions', flagsId, '--limit', '5']);
    expect(table.code).toBe(EXIT.ok);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^OCCURRENCE\s+ATTEMPT\s+STARTED\s+OUTCOME\s+LAG\s+DURATION\s+DETAIL$/);
    expect(lines[1]).toMatch(/succeeded\s+-?\d+ ms\s+\d+ ms/);

    const none = await kairos(['executions', flagsId, '--outcome', 'failed']);
    expect(none).toMatchObject({ code: EXIT.ok, stdout: 'no executions\n' });

    // tail started before the trigger, so it shows the execution.
    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort();
    const followed = await tail;
    expect(followed.code).toBe(EXIT.ok);
    expect(followed.stdout).toContain(`following executions of ${flagsId}`);
    expect(followed.stdout).toMatch(/succeeded/);
  });

  it('shows the occurrence ledger, the manual run included', async () => {
    const ledger = await json(['occurrences', flagsId, '--from', '1h']);
    expect(ledger.counts.missing).toBe(0);
    expect(ledger.items).toContainEqual(expect.objectContaining({ kind: 'manual', status: 'executed' }));
    const text = await kairos(['occurrences', flagsId, '--from', '1h', '--status', 'executed']);
    expect(text.code).toBe(EXIT.ok);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\S+ to \S+: .*\d+ executed/);
    expect(lines[1]).toMatch(/^DUE\s+STATUS\s+WHY \/ OUTCOME\s+OCCURRENCE\s+LAG$/);
    expect(lines[2]).toMatch(/\(manual\)\s+executed\s+succeeded\s+#\d+\s+-?\d+ ms$/);
    const bad = await kairos(['occurrences', flagsId, '--from', 'yesterday']);
    expect(bad.code).toBe(EXIT.usage);
  });

  it('backfills a window of the past once, and says so on a repeat', async () => {
    const created = await kairos([
      'create',
      '--name',
      'cli-backfill',
      '--cron',
      '*/2 * * * * *',
      '--log',
      'b',
    ]);
    const id = createdId(created.stdout);
    const from = new Date(Math.floor((Date.now() - 40_000) / 2000) * 2000);
    const window = ['--from', from.toISOString(), '--to', new Date(from.getTime() + 20_000).toISOString()];
    const first = await kairos(['backfill', id, ...window]);
    expect(first).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(first.stdout).toMatch(
      new RegExp(`^backfilled ${id}: 10 scheduled, 0 already backfilled \\(revision \\d+\\)$`, 'm'),
    );
    expect(await json(['backfill', id, ...window])).toMatchObject({
      id,
      scheduled: 0,
      alreadyBackfilled: 10,
    });

    await waitFor(
      async () =>
        (await json(['executions', id, '--outcome', 'succeeded', '--limit', '50'])).items.filter(
          (e: { reason: string }) => e.reason === 'backfill',
        ).length === 10,
      15_000,
      '10 backfill executions',
    );
    const table = await kairos(['executions', id, '--limit', '50']);
    expect(table.stdout.split('\n').filter((line) => /^\d+ \(backfill\)\s/.test(line))).toHaveLength(10);

    const reversed = await kairos(['backfill', id, '--from', window[3], '--to', window[1]]);
    expect(reversed.code).toBe(EXIT.api);
    expect(reversed.stderr).toMatch(/^ {2}to: /m);
    expect((await kairos(['backfill', id])).code).toBe(EXIT.usage);
  });

  it('pages through the audit trail, each hint line the exact command for the next page', async () => {
    const all = await json(['events', flagsId, '--limit', '200']);
    const revisions: number[] = all.items.map((e: any) => e.revision);
    expect(all.nextCursor).toBeNull();
    expect(revisions.length).toBeGreaterThanOrEqual(6); // registered, paused, resumed, a run: scheduled, started, finished
    expect(revisions).toEqual(revisions.map((_, i) => revisions.length - 1 - i)); // newest first, none missing

    let argv = ['events', flagsId, '--limit', '3'];
    const seen: number[] = [];
    for (let page = 1; page <= 10; page++) {
      const result = await kairos(argv);
      expect(result).toMatchObject({ code: EXIT.ok, stderr: '' });
      const lines = result.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^REVISION\s+RECORDED AT\s+TYPE\s+SUMMARY$/);
      const hint = /^next page: kairos (.+)$/.exec(lines.at(-1) ?? '');
      const rows = hint ? lines.slice(1, -1) : lines.slice(1);
      seen.push(...rows.map((row) => Number(row.split(/\s+/)[0])));
      if (!hint) break;
      expect(hint[1]).toMatch(new RegExp(`^events ${flagsId} --limit 3 --cursor [\\w-]+$`));
      argv = hint[1].split(' ');
    }
    expect(seen).toEqual(revisions);

    const oldest = (await kairos(['events', flagsId, '--older', '--limit', '2'])).stdout.split('\n');
    // The registration carries its first occurrence (ADR 021); the pause came next.
    expect(oldest[1]).toMatch(
      /^0\s+\d{4}-\d\d-\d\dT\S+Z\s+TaskRegistered\s+"cli-hourly", every hour; #1 due \S+Z$/,
    );
    expect(oldest[2]).toMatch(/^1\s+\S+\s+TaskPaused\s+-$/);
    expect(oldest[3]).toMatch(
      new RegExp(`^next page: kairos events ${flagsId} --limit 2 --order asc --cursor `),
    );

    const byPeople = await json([
      'events',
      flagsId,
      '--type',
      'TaskPaused',
      '--type',
      'TaskResumed,TaskRegistered',
    ]);
    expect(byPeople.items.map((e: any) => e.type)).toEqual(['TaskResumed', 'TaskPaused', 'TaskRegistered']);
    const runs = await kairos(['events', flagsId, '--type', 'TaskExecuted']);
    expect(runs.stdout).toMatch(/^\d+\s+\S+\s+TaskExecuted\s+#\d+ attempt 1 succeeded in \d+ ms$/m);

    // The server's problem is shown as every command shows one: its detail, then field: reason.
    const badCursor = await kairos(['events', flagsId, '--cursor', 'not-a-cursor']);
    expect(badCursor).toMatchObject({ code: EXIT.api, stdout: '' });
    expect(badCursor.stderr).toMatch(/^kairos: .+\n {2}cursor: is not a cursor of this list/);
  });

  it('shows the task as it was (get --as-of) and what changed between two revisions (diff)', async () => {
    const patch = { name: 'cli-hourly-renamed', timeoutMs: 5000 };
    expect((await api.request('PATCH', `/api/tasks/${flagsId}`, { body: patch })).status).toBe(200);
    const [updated] = (await json(['events', flagsId, '--type', 'TaskUpdated'])).items;
    expect(updated.data.changes).toEqual(patch);
    const [registered] = (await json(['events', flagsId, '--order', 'asc', '--limit', '1'])).items;

    const then = await kairos(['get', flagsId, '--as-of', '0']);
    expect(then.code).toBe(EXIT.ok);
    expect(then.stdout.split('\n')[0]).toBe(`as of revision 0, recorded at ${registered.recordedAt}`);
    expect(then.stdout).toMatch(/^name:\s+cli-hourly$/m);
    expect(then.stdout).toMatch(/^timeout:\s+30000 ms$/m);
    const atInstant = await kairos(['get', flagsId, '--as-of', updated.recordedAt]);
    expect(atInstant.stdout).toMatch(new RegExp(`^as of revision ${updated.revision}, recorded at `));
    expect(atInstant.stdout).toMatch(/^name:\s+cli-hourly-renamed$/m);
    expect(await json(['get', flagsId, '--as-of', '0'])).toMatchObject({
      revision: 0,
      recordedAt: registered.recordedAt,
      name: 'cli-hourly',
    });

    const diff = await kairos(['diff', flagsId, '--from', '0', '--to', String(updated.revision)]);
    expect(diff).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(diff.stdout.trim().split('\n')).toEqual([
      `revision 0 (${registered.recordedAt}) to revision ${updated.revision} (${updated.recordedAt}):`,
      expect.stringMatching(/^FIELD\s+BEFORE\s+AFTER$/),
      expect.stringMatching(/^name\s+"cli-hourly"\s+"cli-hourly-renamed"$/),
      expect.stringMatching(/^timeoutMs\s+30000\s+5000$/),
    ]);
    const unchanged = await kairos(['diff', flagsId, '--from', '0', '--to', '1']);
    expect(unchanged.stdout).toMatch(/^revision 0 .*:\nno definition changes\n$/);
    const diffJson = await json(['diff', flagsId, '--from', '1', '--to', String(updated.revision)]);
    expect(diffJson.changes).toContainEqual({ field: 'timeoutMs', before: 30000, after: 5000 });

    const beyond = await kairos(['get', flagsId, '--as-of', '999']);
    expect(beyond).toMatchObject({ code: EXIT.api, stdout: '' });
    expect(beyond.stderr).toMatch(/^ {2}asOf: is beyond the task's last revision, \d+$/m);
    const diffBeyond = await kairos(['diff', flagsId, '--from', '0', '--to', '999']);
    expect(diffBeyond).toMatchObject({ code: EXIT.api, stdout: '' });
    expect(diffBeyond.stderr).toMatch(/^ {2}to: is beyond the task's last revision/m);
  });

  it('deletes a task', async () => {
    const deleted = await kairos(['delete', fileId, '--json']);
    expect(deleted.code).toBe(EXIT.ok);
    expect(JSON.parse(deleted.stdout)).toMatchObject({ id: fileId });
    await waitFor(async () => (await json(['get', fileId])).status === 'deleted', 10_000, 'deleted');
    const list = await json(['list', '--search', 'cli-']);
    expect(list.items.map((t: any) => t.id)).not.toContain(fileId);
  });

  it('exits 4 on an unknown task', async () => {
    for (const argv of [
      ['get'],
      ['pause'],
      ['executions'],
      ['occurrences'],
      ['events'],
      ['get', '--as-of', '0'],
      ['diff', '--from', '0', '--to', '0'],
    ]) {
      const id = randomUUID();
      const result = await kairos([...argv, id]);
      expect(result.code).toBe(EXIT.notFound);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`^kairos: .*${id}`));
    }
  });

  it('exits 1 on a validation error, naming the field', async () => {
    const result = await kairos(['create', '--name', 'bad', '--cron', 'not a cron', '--log', 'x']);
    expect(result.code).toBe(EXIT.api);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^kairos: .*schedule\.expression/);
    expect(result.stderr).toMatch(/^ {2}schedule\.expression: .+$/m);
  });

  it('exits 3 when the server cannot be reached', async () => {
    const port = await freePort();
    const result = await kairos(['list', '--url', `http://127.0.0.1:${port}`]);
    expect(result.code).toBe(EXIT.unreachable);
    expect(result.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+.*ECONNREFUSED/);
  });

  it('exits 2 on usage errors', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command "frobnicate"/],
      [['list', '--colour'], /Unknown option '--colour'/],
      [['get'], /missing <id>/],
      [['get', 'a', 'b'], /unexpected argument "b"/],
      [['list', '--status', 'sleeping'], /--status must be one of/],
      [['list', '--limit', 'many'], /--limit must be a whole number/],
      [['create', '--name', 'x', '--log', 'y'], /exactly one schedule/],
      [['create', '--name', 'x', '--every', '5'], /exactly one action/],
      [['create', '--file', join(dir, 'missing.json')], /cannot read/],
      [['projections', 'explode'], /unknown projections command/],
      [
        ['events', 'x', '--type', 'TaskNope'],
        /--type has unknown event types \("TaskNope"\); known: TaskRegistered/,
      ],
      [['events', 'x', '--limit', '201'], /--limit must be between 1 and 200, got 201/],
      [['events', 'x', '--order', 'sideways'], /--order must be one of desc, asc/],
      [['events', 'x', '--older', '--order', 'desc'], /--older \(oldest first\) cannot be combined/],
      [['get', 'x', '--as-of', 'yesterday'], /--as-of must be a revision .* got "yesterday"/],
      [['diff', 'x', '--from', '1'], /--to is required/],
      [['diff', 'x', '--from', 'one', '--to', '2'], /--from must be a whole number, got "one"/],
      [['diff', 'x', '--from', '3', '--to', '2'], /--from must not be after --to/],
      [[], /^$/],
    ];
    for (const [argv, message] of cases) {
      const result = await kairos(argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: EXIT.usage });
      expect(result.stderr).toMatch(message);
    }
  });

  it('bin/kairos.js --help runs as a process and documents the exit codes', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bin/kairos.js'), '--help'], {
      cwd: root,
      timeout: 30_000,
    });
    expect(stdout).toMatch(/^Usage: kairos <command>/);
    for (const command of [
      'list',
      'get',
      'create',
      'pause',
      'resume',
      'trigger',
      'backfill',
      'delete',
      'executions',
      'occurrences',
      'events',
      'diff',
      'tail',
    ]) {
      expect(stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    }
    expect(stdout).toContain('projections rebuild');
    expect(stdout).toContain('get <id> [--as-of revision|instant]');
    expect(stdout).toMatch(
      /Exit codes:\n {2}0 {2}ok\n {2}1 {2}API error.*\n {2}2 {2}usage error.*\n {2}3 {2}cannot reach.*\n {2}4 {2}not found/,
    );
  });
});
