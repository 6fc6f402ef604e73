import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import type { ExecutionOutcome, TaskStatus } from '../tasks/task.model';

export const OUTCOMES: readonly ExecutionOutcome[] = ['succeeded', 'failed', 'timed_out', 'lost'];

export interface MinuteStats {
  minute: string;
  outcomes: Record<ExecutionOutcome, number>;
  lagP50Ms: number | null;
  lagP95Ms: number | null;
  lagP99Ms: number | null;
}

export interface Stats {
  minutes: MinuteStats[];
  tasksByStatus: Partial<Record<TaskStatus, number>>;
}

export interface WorkerInfo {
  id: string;
  buckets: number[];
  lastSeenAt: string | null;
}

type Loose = Record<string, unknown>;

/**
 * GET /api/stats (`{ tasks: {active…}, minutes: [{ minute, executions: {succeeded…}, lagMs: {p50…} }] }`)
 * and GET /api/workers, read leniently: both come from other parts of Kairos that
 * may name a field a little differently; what cannot be read shows as missing, never as an error.
 */
@Injectable({ providedIn: 'root' })
export class StatsApi {
  private readonly http = inject(HttpClient);

  stats(minutes: number, minPosition?: number): Observable<Stats> {
    const params: Record<string, string> = { minutes: String(minutes) };
    if (minPosition) params['minPosition'] = String(minPosition);
    return this.http.get<Loose>('/api/stats', { params }).pipe(map(readStats));
  }

  workers(): Observable<WorkerInfo[]> {
    return this.http.get<Loose | Loose[]>('/api/workers').pipe(map(readWorkers));
  }
}

export function readStats(body: Loose): Stats {
  const rows = firstArray(body, ['minutes', 'perMinute', 'series', 'items', 'executionsPerMinute']);
  const minutes = rows.map((row): MinuteStats => {
    const outcomes = ([row['executions'], row['outcomes'], row['counts']].find(isObject) ?? row) as Loose;
    const lag = (isObject(row['lag']) ? row['lag'] : isObject(row['lagMs']) ? row['lagMs'] : row) as Loose;
    return {
      minute: String(row['minute'] ?? row['at'] ?? row['start'] ?? row['bucket'] ?? ''),
      outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, numberOr(outcomes[o], 0)])) as Record<
        ExecutionOutcome,
        number
      >,
      lagP50Ms: numberOr(lag['lagP50Ms'] ?? lag['p50'] ?? lag['p50Ms'] ?? lag['lagP50'], null),
      lagP95Ms: numberOr(lag['lagP95Ms'] ?? lag['p95'] ?? lag['p95Ms'] ?? lag['lagP95'], null),
      lagP99Ms: numberOr(lag['lagP99Ms'] ?? lag['p99'] ?? lag['p99Ms'] ?? lag['lagP99'], null),
    };
  });
  const statusSource = [body['tasksByStatus'], body['statusCounts'], body['tasks'], body['byStatus']].find(
    isObject,
  );
  const tasksByStatus: Partial<Record<TaskStatus, number>> = {};
  for (const status of ['active', 'paused', 'completed', 'deleted'] as const) {
    const value = numberOr((statusSource as Loose | undefined)?.[status], null);
    if (value !== null) tasksByStatus[status] = value;
  }
  return { minutes, tasksByStatus };
}

export function readWorkers(body: Loose | Loose[]): WorkerInfo[] {
  const rows = Array.isArray(body) ? body : firstArray(body, ['items', 'workers']);
  return rows.map((row) => ({
    id: String(row['id'] ?? row['workerId'] ?? '?'),
    buckets: Array.isArray(row['buckets'])
      ? (row['buckets'] as unknown[]).filter((b): b is number => typeof b === 'number')
      : [],
    lastSeenAt:
      typeof (row['lastSeenAt'] ?? row['heartbeatAt']) === 'string'
        ? String(row['lastSeenAt'] ?? row['heartbeatAt'])
        : null,
  }));
}

function firstArray(body: Loose, keys: string[]): Loose[] {
  for (const key of keys) if (Array.isArray(body[key])) return (body[key] as unknown[]).filter(isObject);
  return [];
}

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOr<T extends number | null>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
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
