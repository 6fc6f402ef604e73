import { spawnKairos, type KairosProcess } from '../spawn-kairos';

const STOP_TIMEOUT_MS = 5000;
const PROBE_EVERY_MS = 500;
const PROBE_TIMEOUT_MS = 2000;

/**
 * One Kairos process of a fault case (the built server, see server-build.ts), with a liveness probe
 * that runs until it stops: whether it stayed alive, and how often /health/live did not answer.
 */
export class KairosNode {
  /** Set when the process exited before the case stopped it. */
  diedAt: number | undefined;
  liveFailures = 0;
  /** Set when the case SIGKILLed it on purpose. */
  wasKilled = false;
  private stopping = false;
  private readonly probe: NodeJS.Timeout;

  private constructor(
    readonly name: string,
    readonly proc: KairosProcess,
  ) {
    void proc.exited.then(() => {
      if (!this.stopping) this.diedAt = Date.now();
    });
    this.probe = setInterval(() => void this.probeLive(), PROBE_EVERY_MS);
  }

  static async start(name: string, roles: string, env: Record<string, string>): Promise<KairosNode> {
    const entry = process.env.KAIROS_FAULTS_SERVER_ENTRY;
    const spawned = await spawnKairos(roles, { KAIROS_HTTP_ALLOW: '127.0.0.1', ...env }, [], { entry });
    return new KairosNode(name, spawned);
  }

  get port(): number {
    return this.proc.port;
  }

  get pid(): number | undefined {
    return this.proc.child.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  alive(): boolean {
    return this.proc.child.exitCode === null && this.proc.child.signalCode === null;
  }

  /** SIGKILL by PID, as a crash: resolves once the process is gone. */
  async kill(): Promise<void> {
    this.stopping = true;
    this.wasKilled = true;
    clearInterval(this.probe);
    if (this.alive() && this.pid !== undefined) process.kill(this.pid, 'SIGKILL');
    await this.proc.exited;
  }

  /** SIGTERM (a drain), then SIGKILL if it has not exited after 5 s. Resolves how it ended. */
  async stop(): Promise<'drained' | 'killed' | 'gone'> {
    this.stopping = true;
    clearInterval(this.probe);
    if (!this.alive()) return 'gone';
    const timer = setTimeout(() => this.proc.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.proc.stop('SIGTERM');
    clearTimeout(timer);
    return this.proc.child.signalCode === 'SIGKILL' ? 'killed' : 'drained';
  }

  output(): string {
    return this.proc.output.join('');
  }

  private async probeLive(): Promise<void> {
    if (this.stopping || !this.alive()) return;
    try {
      const response = await fetch(`${this.url}/health/live`, {
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      if (!response.ok) this.liveFailures++;
    } catch {
      if (!this.stopping && this.alive()) this.liveFailures++;
    }
  }
}
