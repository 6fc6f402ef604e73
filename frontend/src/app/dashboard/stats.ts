import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import type { components } from '../../../../contracts/api';
import type { ExecutionOutcome, TaskStatus } from '../tasks/task.model';

export const OUTCOMES: readonly ExecutionOutcome[] = ['succeeded', 'failed', 'timed_out', 'lost'];

type Schemas = components['schemas'];
export type StatsView = Schemas['StatsView'];
export type WorkerView = Schemas['WorkerView'];

/** One minute as the charts draw it. */
export interface MinuteStats {
  minute: string;
  outcomes: Record<ExecutionOutcome, number>;
  lagP50Ms: number | null;
  lagP95Ms: number | null;
  lagP99Ms: number | null;
}

export interface Stats {
  minutes: MinuteStats[];
  tasksByStatus: Record<TaskStatus, number>;
}

/** GET /api/stats and GET /api/workers, typed by the contract. */
@Injectable({ providedIn: 'root' })
export class StatsApi {
  private readonly http = inject(HttpClient);

  stats(minutes: number, minPosition?: number): Observable<Stats> {
    const params: Record<string, string> = { minutes: String(minutes) };
    if (minPosition) params['minPosition'] = String(minPosition);
    return this.http.get<StatsView>('/api/stats', { params }).pipe(map(toStats));
  }

  workers(): Observable<WorkerView[]> {
    return this.http.get<Schemas['WorkerList']>('/api/workers').pipe(map((list) => list.items));
  }
}

export function toStats(view: StatsView): Stats {
  const { active, paused, completed, deleted } = view.tasks;
  return {
    minutes: view.minutes.map((row) => ({
      minute: row.minute,
      outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, row.executions[o]])) as Record<
        ExecutionOutcome,
        number
      >,
      lagP50Ms: row.lagMs.p50,
      lagP95Ms: row.lagMs.p95,
      lagP99Ms: row.lagMs.p99,
    })),
    tasksByStatus: { active, paused, completed, deleted },
  };
}

/** `0-63, 128, 130-131`: a worker's buckets, compactly. */
export function bucketRanges(buckets: readonly number[]): string {
  const sorted = [...buckets].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i];
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
    ranges.push(start === sorted[i] ? `${start}` : `${start}–${sorted[i]}`);
  }
  return ranges.join(', ');
}
