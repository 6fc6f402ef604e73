import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** One line naming the machine, for the figures recorded in docs/benchmarks.md. */
export function machineDescription(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

export function formatRate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

/** Runs `work` repeatedly from `concurrency` loops until `durationMs` passes; returns operations done. */
export async function runFor(
  durationMs: number,
  concurrency: number,
  work: (loop: number, i: number) => Promise<number>,
) {
  const deadline = Date.now() + durationMs;
  const started = Date.now();
  let operations = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const done = await work(loop, i); // not `operations += await ...`: that reads the total before awaiting
        operations += done;
      }
    }),
  );
  return { operations, elapsedMs: Date.now() - started };
}

/**
 * CPU time (ms) used so far by a process and its children (a PostgreSQL server and its backends), from
 * /proc; NaN where there is none.
 */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    let ticks = 0;
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // fields[1] is the parent pid, fields[11] and fields[12] user and system time in clock ticks
        if (Number(name) === pid || Number(fields[1]) === pid) {
          ticks += Number(fields[11]) + Number(fields[12]);
        }
      } catch {
        // the process ended meanwhile
      }
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

export function readLoadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}
