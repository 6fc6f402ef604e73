import { spawn } from 'node:child_process';
import { parseStat, parseStatus, ProcessSampler } from './process-sampler';

describe('parseStat', () => {
  it('reads ppid and CPU ticks after a command name holding spaces and parentheses', () => {
    const line = '4242 (node (my) worker) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 30 7 3 20 0 11 0 99';
    expect(parseStat(line)).toEqual({ ppid: 17, cpuTicks: 250 + 30 + 7 + 3 });
  });
});

describe('parseStatus', () => {
  it('reads resident, anonymous and shared memory in KiB', () => {
    const text =
      'Name:\tpostgres\nVmRSS:\t  150000 kB\nRssAnon:\t    9000 kB\nRssFile:\t    1000 kB\nRssShmem:\t  140000 kB\n';
    expect(parseStatus(text)).toEqual({ rss: 150000, anon: 9000, shmem: 140000 });
  });
});

describe('ProcessSampler', () => {
  it('sees a child process burn CPU and hold memory', async () => {
    // The child allocates ~64 MiB and spins until it has used ~600 ms of CPU (counted by its own CPU
    // clock, not the wall clock: on a busy machine a spin of 600 ms wall gets far less), then says so.
    const child = spawn(process.execPath, [
      '-e',
      "const b = Buffer.alloc(64 * 2 ** 20, 1); while (process.cpuUsage().user + process.cpuUsage().system < 600_000); console.log('done'); setTimeout(() => b, 5000);",
    ]);
    const sampler = new ProcessSampler([{ name: 'child', pid: child.pid as number }]);
    try {
      const window = sampler.window();
      await new Promise((resolve) => child.stdout.once('data', resolve));
      const [usage] = window.end();
      expect(usage.name).toBe('child');
      expect(usage.peakRssMb).toBeGreaterThan(64);
      expect(usage.cpuSeconds).toBeGreaterThan(0.3);
    } finally {
      sampler.stop();
      child.kill('SIGKILL');
    }
  });
});
