import { type ProcessUsage } from './process-sampler';
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
  results: RunResult[];
}
