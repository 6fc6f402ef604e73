/**
 * What the benchmark asks of every scheduler it measures: Kairos (all-in-one and as a cluster),
 * BullMQ and pg-boss. Each runs in processes of its own, so their memory and CPU can be read apart
 * from the benchmark's. Each handler or action records when it started and calls the HTTP receiver, as a
 * user's webhook is called.
 */

/** What every system shares: one PostgreSQL server, one redis-server and the HTTP receiver. */
export interface SharedServices {
  /** A superuser URL of the PostgreSQL server; a system creates its own database on it. */
  postgresAdminUrl: string;
  /** The redis-server, flushed before each system starts. */
  redisUrl: string;
  /** `http://127.0.0.1:<port>`: every task's action or handler POSTs to `${receiverUrl}/<key>`. */
  receiverUrl: string;
}

/** One occurrence the benchmark expects: `key` is unique per expected firing. */
export interface ExpectedFiring {
  key: string;
  /** Epoch ms at which it is due. */
  dueAt: number;
}

/** One recorded start; for every-second tasks `key` is `${taskKey}@${dueAt}`. */
export interface RecordedStart {
  key: string;
  dueAt: number;
  startedAt: number;
}

export interface NamedProcess {
  /** e.g. "kairos", "worker-2", "bullmq worker". */
  name: string;
  pid: number;
}

export interface SchedulerUnderTest {
  /** e.g. "Kairos (all-in-one)", "BullMQ 6.7.0". */
  readonly name: string;
  /** Starts the system's processes against fresh state on the shared stores. */
  start(shared: SharedServices): Promise<void>;
  /** Its own OS processes, sampled for RSS and CPU (the shared stores are sampled by the runner). */
  processes(): NamedProcess[];
  /** Registers one-time tasks the way the system registers in bulk; resolves once all are accepted. */
  registerOnce(firings: ExpectedFiring[]): Promise<void>;
  /**
   * Registers tasks that fire every second (cron with seconds); resolves false when the system
   * cannot schedule below a minute, in which case the workload is reported as unsupported.
   */
  registerEverySecond(taskKeys: string[]): Promise<boolean>;
  /** Stops the every-second tasks so that later workloads run alone. */
  removeEverySecond(taskKeys: string[]): Promise<void>;
  /** Resolves once everything registered so far is ready to fire (e.g. a projector has caught up). */
  settled(): Promise<void>;
  /** Every start recorded so far whose key begins with `prefix`. */
  starts(prefix: string): Promise<RecordedStart[]>;
  /** Reads the first page (50) of its registered tasks once, for the list latency of W5. */
  readFirstPage(): Promise<void>;
  /**
   * SIGKILLs one of several worker processes, for W6, and resolves its name. Absent when the system
   * runs one worker process: nothing could take over, so W6 is not run.
   */
  killOneWorker?(): Promise<string>;
  stop(): Promise<void>;
}
