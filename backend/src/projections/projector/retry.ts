import type { ProjectorLogger, ProjectorOptions } from './projector-options';

/**
 * PostgreSQL refused the data itself (SQLSTATE class 22, data exception, or 23, integrity constraint
 * violation): retrying cannot help. Everything else (connection loss, shutdown, deadlock,
 * serialization) may pass and is retried.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

/**
 * How the projector lives through a read model that is away for a while (restart, failover): it
 * waits and tries again, each wait twice the last (from retryDelayMs, default 100 ms, up to
 * maxRetryDelayMs, default 10 s), until the work succeeds or the projector stops. A data error is not
 * worth a retry: it goes to the caller, which parks the event the database refuses.
 */
export class Retry {
  constructor(
    private readonly logger: ProjectorLogger,
    private readonly delays: Pick<ProjectorOptions, 'retryDelayMs' | 'maxRetryDelayMs'>,
  ) {}

  /** Runs `work` until it succeeds, waiting between transient failures; data errors go to the caller. */
  async retrying<T>(work: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    for (let failures = 0; ; failures++) {
      try {
        return await work();
      } catch (error) {
        if (isDataError(error) || signal?.aborted) throw error;
        const delayMs = this.backoff(failures);
        this.logger.warn(`read model unavailable, retrying in ${delayMs} ms: ${describe(error)}`);
        await sleep(delayMs, signal);
        if (signal?.aborted) throw error;
      }
    }
  }

  /** The wait after `failures` failures in a row. */
  backoff(failures: number): number {
    const first = this.delays.retryDelayMs ?? 100;
    return Math.min(first * 2 ** failures, this.delays.maxRetryDelayMs ?? 10_000);
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Resolves after `ms`, or at once on abort. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
