import { startTestApp, type TestApp } from '../../test/test-app';
import { waitFor } from '../../test/wait-for';
import { bufferIo, EXIT, runCli } from './main';

/** `kairos calendars ...` and `kairos create --calendar` against a real server. */
describe('kairos calendars (e2e, real server)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({}, { roles: 'api,projector' });
  });
  afterAll(() => api.close());

  async function kairos(argv: string[]) {
    const io = bufferIo({ env: { KAIROS_URL: api.baseUrl } });
    const code = await runCli(argv, io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  }

  it('creates, lists, gets, updates (If-Match) and deletes a calendar; a task names it with --calendar', async () => {
    const created = await kairos([
      'calendars',
      'create',
      '--name',
      'cli holidays',
      '--tz',
      'Europe/Berlin',
      '--date',
      '2026-12-25',
      '--range',
      '2026-12-31T12:00:00Z..2027-01-01T12:00:00Z',
      '--cron',
      '* * * * 0,6',
    ]);
    expect(created).toMatchObject({ code: EXIT.ok, stderr: '' });
    const id = /^created ([0-9a-f-]{36}) \(revision 0\)$/m.exec(created.stdout)?.[1] as string;
    expect(id).toBeDefined();

    const got = await kairos(['calendars', 'get', id]);
    expect(got.code).toBe(EXIT.ok);
    expect(got.stdout).toContain('cli holidays');
    expect(got.stdout).toContain('2026-12-25');
    expect(got.stdout).toContain('cron * * * * 0,6');
    expect(got.stdout).toContain('2026-12-31T12:00:00Z .. 2027-01-01T12:00:00Z');

    const task = await kairos([
      'create',
      '--name',
      'cli with calendar',
      '--every',
      '3600',
      '--log',
      'x',
      '--calendar',
      id,
    ]);
    expect(task.code).toBe(EXIT.ok);
    const taskId = /^created ([0-9a-f-]{36})/m.exec(task.stdout)?.[1] as string;
    const shown = await waitFor(
      async () => (await api.request('GET', `/api/tasks/${taskId}`)).body.calendars as string[] | undefined,
      5000,
      'the task projected',
    );
    expect(shown).toEqual([id]);
    expect((await kairos(['get', taskId])).stdout).toMatch(new RegExp(`calendars:\\s+${id}`));
    const unknown = await kairos([
      'create',
      '--name',
      'x',
      '--every',
      '60',
      '--log',
      'x',
      '--calendar',
      taskId,
    ]);
    expect(unknown.code).toBe(EXIT.api);
    expect(unknown.stderr).toContain('calendars[0]');

    const stale = await kairos(['calendars', 'update', id, '--name', 'renamed', '--if-match', '3']);
    expect(stale.code).toBe(EXIT.api);
    expect(stale.stderr).toContain('revision 0');
    const updated = await kairos(['calendars', 'update', id, '--no-exclusions', '--if-match', '0', '--json']);
    expect(updated.code).toBe(EXIT.ok);
    expect(JSON.parse(updated.stdout)).toMatchObject({ id, revision: 1 });

    // The list is the read model's: it shows the update once the projector has it.
    await waitFor(
      async () => /cli holidays\s+Europe\/Berlin\s+0\s+1/.test((await kairos(['calendars', 'list'])).stdout),
      5000,
      'the updated calendar listed',
    );

    // Still named by the task: refused with the count.
    const inUse = await kairos(['calendars', 'delete', id]);
    expect(inUse.code).toBe(EXIT.api);
    expect(inUse.stderr).toContain('1 task');
    expect((await api.request('DELETE', `/api/tasks/${taskId}`)).status).toBe(200);
  });

  it('says what is wrong with a command line', async () => {
    expect((await kairos(['calendars', 'rename'])).code).toBe(EXIT.usage);
    expect((await kairos(['calendars', 'get'])).code).toBe(EXIT.usage);
    expect((await kairos(['calendars', 'create', '--tz', 'UTC'])).stderr).toContain('--name');
    expect((await kairos(['calendars', 'create', '--name', 'x', '--range', 'yesterday'])).code).toBe(
      EXIT.usage,
    );
    const bad = await kairos(['calendars', 'create', '--name', 'x', '--date', '2026-02-30']);
    expect(bad.code).toBe(EXIT.api);
    expect(bad.stderr).toContain('exclude[0].date');
    expect((await kairos(['calendars', 'get', '7d0e3c52-1f4a-4c1b-9e55-0d6f7a8b9c01'])).code).toBe(
      EXIT.notFound,
    );
  });
});
