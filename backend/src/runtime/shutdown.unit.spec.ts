import { Shutdown, type ShutdownStep } from './shutdown';

/** The shutdown sequence with its exits recorded instead of taken (the real process: shutdown.e2e). */
function harness(drainTimeoutMs = 1000): {
  shutdown: Shutdown;
  lines: string[];
  exited: Promise<number>;
  record: string[];
  step(name: string, stop?: () => Promise<void>): ShutdownStep;
} {
  const lines: string[] = [];
  const record: string[] = [];
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const shutdown = new Shutdown({
    drainTimeoutMs,
    log: (line) => lines.push(line),
    exit: (code) => exit(code),
  });
  const step = (name: string, stop: () => Promise<void> = async () => undefined): ShutdownStep => ({
    name,
    stop: async () => {
      record.push(`stop ${name}`);
      await stop();
    },
    abandon: () => record.push(`abandon ${name}`),
  });
  return { shutdown, lines, exited, record, step };
}

const never = (): Promise<void> => new Promise(() => undefined);

describe('Shutdown', () => {
  it('stops what started last first, then exits 0', async () => {
    const { shutdown, exited, record, step, lines } = harness();
    shutdown.add(step('postgres'));
    shutdown.add(step('app'));
    shutdown.signal('SIGTERM');
    expect(await exited).toBe(0);
    expect(record).toEqual(['stop app', 'stop postgres']);
    expect(lines[0]).toMatch(/SIGTERM received, draining \(at most 1000 ms/);
  });

  it('exits 1 after the drain timeout, naming the step under way, and abandons what is left', async () => {
    const { shutdown, exited, record, step, lines } = harness(100);
    shutdown.add(step('postgres'));
    shutdown.add(step('app', never));
    const started = Date.now();
    shutdown.drain('the launcher is gone');
    expect(await exited).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(record).toEqual(['stop app', 'abandon app', 'abandon postgres']);
    expect(lines.at(-1)).toMatch(/did not finish within 100 ms \(still app; open: .*\), exiting/);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('exits at once with the code of a second signal (%s: %d)', async (signal, code) => {
    const { shutdown, exited, record, step, lines } = harness(60_000);
    shutdown.add(step('app', never));
    shutdown.signal('SIGTERM');
    shutdown.signal(signal);
    expect(await exited).toBe(code);
    expect(record).toEqual(['stop app', 'abandon app']);
    expect(lines.at(-1)).toBe(`kairos: second ${signal} while draining, exiting now`);
  });

  it('does not start a second drain when the launcher goes while draining', async () => {
    const { shutdown, exited, record, step } = harness();
    let finish: () => void = () => undefined;
    shutdown.add(step('app', () => new Promise((resolve) => (finish = resolve))));
    shutdown.signal('SIGINT');
    shutdown.drain('the launcher is gone');
    finish();
    expect(await exited).toBe(0);
    expect(record).toEqual(['stop app']);
  });

  it('goes on with the next step when one fails, and exits 1', async () => {
    const { shutdown, exited, record, step, lines } = harness();
    shutdown.add(step('postgres'));
    shutdown.add(
      step('app', async () => {
        throw new Error('boom');
      }),
    );
    shutdown.signal('SIGTERM');
    expect(await exited).toBe(1);
    expect(record).toEqual(['stop app', 'stop postgres']);
    expect(lines.join('\n')).toMatch(/app failed: Error: boom/);
  });
});
