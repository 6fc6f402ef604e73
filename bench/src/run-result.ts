import { type ProcessUsage } from './process-sampler';
import { type ReceiverFloor } from './receiver/receiver-floor';
import { type WorkloadId, type WorkloadOutcome } from './workloads/workload';

/** One workload through one system, as the report reads it. */
export interface RunResult {
  system: string;
  workload: WorkloadId;
  title: string;
  outcome: WorkloadOutcome;
  /** The system's own processes, then the shared PostgreSQL and redis-server. */
  processes: ProcessUsage[];
  wallSeconds: number;
}

export interface BenchReport {
  mode: 'quick' | 'full';
  date: string;
  machine: string;
  versions: Record<string, string>;
  command: string;
  /** What the HTTP receiver takes at most on this machine; absent in results from before it. */
  receiverFloor?: ReceiverFloor;
  results: RunResult[];
}
