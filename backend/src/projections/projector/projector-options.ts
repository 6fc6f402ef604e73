import type { Pool } from 'pg';
import type { EventStore } from '../../event-store/event-store';
import type { ReadModelChange } from '../change-feed/change-feed';

export interface ProjectorLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProjectorOptions {
  pool: Pool;
  store: EventStore;
  /** The schema to project into: the live read model, or a rebuild's. */
  schema?: string;
  /**
   * Most events applied in one transaction while following the log live (default 500): a burst
   * becomes visible batch by batch. While the projector is behind, each full batch lets the next one
   * be twice as large, up to maxBatchSize.
   */
  batchSize?: number;
  /** Most events in one transaction while catching up (default 4 × batchSize). */
  maxBatchSize?: number;
  /** NOTIFY each change on CHANGE_CHANNEL from its batch's transaction; default: for the live schema. */
  notify?: boolean;
  /** Also hands each committed change here (e.g. Redis PUBLISH); its failures are only logged. */
  publish?: (change: ReadModelChange) => Promise<void>;
  logger?: ProjectorLogger;
  /** First delay after a transient error; it doubles up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /**
   * Waited on before each live batch, at most MAX_YIELD_MS: foreground work (firing and delivering a
   * burst, bulk registrations; of this process and the cluster's others) goes first; the projector
   * catches up right after, in larger batches.
   */
  yieldTo?: { yield(maxWaitMs: number, signal?: AbortSignal): Promise<void> };
  /** Fault injection for tests: runs inside each batch's transaction once the task rows are written. */
  afterTaskRows?: (batch: { events: number; position: number }) => Promise<void> | void;
}
