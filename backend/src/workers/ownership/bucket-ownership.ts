/** A worker as others see it: for GET /api/workers and the dashboard. */
export interface WorkerInfo {
  workerId: string;
  host: string;
  pid: number;
  startedAt: string;
  lastSeenAt: string;
  buckets: number[];
}

/**
 * Which buckets this worker fires. Leases are an efficiency (each occurrence is looked at by one
 * worker); correctness never depends on them (the expected revision on append does that).
 */
export interface BucketOwnership {
  readonly workerId: string;
  /** Starts owning; `onChange` hears the full set of owned buckets whenever it changes. */
  start(onChange: (owned: number[]) => void): Promise<void>;
  owned(): number[];
  /** Every live worker with the buckets it owns. */
  members(): Promise<WorkerInfo[]>;
  /** Whether members() sees every live worker, so executions of any other worker id are orphans. */
  readonly seesAllMembers: boolean;
  /** Releases every bucket at once, so other workers take them over without waiting for a TTL. */
  stop(): Promise<void>;
}

/** A lone worker without Redis owns every bucket. */
export class SoloOwnership implements BucketOwnership {
  /** Other processes without Redis are invisible to this one (tests run two on purpose). */
  readonly seesAllMembers = false;
  private readonly buckets: number[];
  private readonly startedAt = new Date().toISOString();

  constructor(
    readonly workerId: string,
    bucketCount: number,
  ) {
    this.buckets = Array.from({ length: bucketCount }, (_, i) => i);
  }

  async start(onChange: (owned: number[]) => void): Promise<void> {
    onChange(this.buckets);
  }

  owned(): number[] {
    return this.buckets;
  }

  async members(): Promise<WorkerInfo[]> {
    const now = new Date().toISOString();
    return [
      {
        workerId: this.workerId,
        host: 'local',
        pid: process.pid,
        startedAt: this.startedAt,
        lastSeenAt: now,
        buckets: this.buckets,
      },
    ];
  }

  async stop(): Promise<void> {}
}
