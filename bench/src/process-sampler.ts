import { readdirSync, readFileSync } from 'node:fs';

/**
 * Peak memory and CPU time of the processes under test, read from /proc (Linux), per workload window.
 * RSS is sampled every 200 ms; CPU time is the difference of the kernel's counters at the window's ends.
 */
export interface SampledProcess {
  name: string;
  pid: number;
  /** Count its descendants too (PostgreSQL: one backend process per connection). */
  tree?: boolean;
}

export interface ProcessUsage {
  name: string;
  /** Highest resident memory seen in the window, in MiB; for a tree, private memory plus shared once. */
  peakRssMb: number;
  cpuSeconds: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const SAMPLE_MS = 200;

export interface StatFields {
  ppid: number;
  /** utime + stime + cutime + cstime: own CPU plus that of children it has waited for, in ticks. */
  cpuTicks: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so fields follow the last ")". */
export function parseStat(text: string): StatFields {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state) of proc(5): ppid is field 4, utime..cstime are fields 14..17
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  return { ppid: Number(fields[1]), cpuTicks: utime + stime + cutime + cstime };
}

/** Resident memory from /proc/<pid>/status, in KiB: total, private (anonymous) and shared memory. */
export function parseStatus(text: string): { rss: number; anon: number; shmem: number } {
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rss: kib('VmRSS'), anon: kib('RssAnon'), shmem: kib('RssShmem') };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process ended between listing and reading
  }
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (stat && parseStat(stat).ppid === pid) children.push(Number(entry));
  }
  return children;
}

function measure(process: SampledProcess): { rssKib: number; cpuTicks: number } {
  const pids = [process.pid, ...(process.tree ? childrenOf(process.pid) : [])];
  let cpuTicks = 0;
  let rssKib = 0;
  let shmem = 0;
  for (const pid of pids) {
    const stat = read(`/proc/${pid}/stat`);
    const status = read(`/proc/${pid}/status`);
    if (!stat || !status) continue;
    cpuTicks += parseStat(stat).cpuTicks;
    const memory = parseStatus(status);
    if (process.tree) {
      rssKib += memory.anon;
      shmem = Math.max(shmem, memory.shmem);
    } else rssKib += memory.rss;
  }
  return { rssKib: rssKib + shmem, cpuTicks };
}

export class ProcessSampler {
  private readonly windows = new Set<{ peaks: number[] }>();
  private readonly timer: NodeJS.Timeout;
  /** The last CPU counters read: a process killed in the window keeps the CPU it had used. */
  private readonly lastTicks: number[];

  constructor(private readonly processes: SampledProcess[]) {
    this.lastTicks = processes.map(() => 0);
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  /** Opens a window; `end()` gives each process's peak RSS and CPU seconds since it opened. */
  window(): { end(): ProcessUsage[] } {
    const startTicks = this.processes.map((p, i) => this.ticks(p, i));
    const window = { peaks: this.processes.map(() => 0) };
    this.windows.add(window);
    this.sample();
    return {
      end: () => {
        this.sample();
        this.windows.delete(window);
        return this.processes.map((p, i) => ({
          name: p.name,
          peakRssMb: window.peaks[i] / 1024,
          cpuSeconds: (this.ticks(p, i) - startTicks[i]) / TICKS_PER_SECOND,
        }));
      },
    };
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private ticks(process: SampledProcess, i: number): number {
    this.lastTicks[i] = Math.max(this.lastTicks[i], measure(process).cpuTicks);
    return this.lastTicks[i];
  }

  private sample(): void {
    if (this.windows.size === 0) return;
    this.processes.forEach((p, i) => {
      const { rssKib, cpuTicks } = measure(p);
      this.lastTicks[i] = Math.max(this.lastTicks[i], cpuTicks);
      for (const window of this.windows) window.peaks[i] = Math.max(window.peaks[i], rssKib);
    });
  }
}
