import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus metrics, served at /metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'kairos_process_' });

export const fireLag = new Histogram({
  name: 'kairos_fire_lag_seconds',
  help: 'Delay between an occurrence’s due time and the start of its execution',
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

export const executions = new Counter({
  name: 'kairos_executions_total',
  help: 'Finished executions by outcome',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const ownedBuckets = new Gauge({
  name: 'kairos_owned_buckets',
  help: 'Buckets this worker owns',
  registers: [registry],
});

export const heapSize = new Gauge({
  name: 'kairos_timer_heap_size',
  help: 'Occurrences held by a bucket’s timer actor (due within the lookahead window)',
  labelNames: ['bucket'] as const,
  registers: [registry],
});

export const leaseChanges = new Counter({
  name: 'kairos_lease_changes_total',
  help: 'Buckets acquired or released by this worker',
  labelNames: ['change'] as const,
  registers: [registry],
});

export const waitingForSlots = new Gauge({
  name: 'kairos_concurrency_waiting',
  help: 'Occurrences this worker holds waiting for a slot of their concurrency key',
  registers: [registry],
});

export const refusedFirings = new Counter({
  name: 'kairos_firings_refused_total',
  help: 'Firings the task refused by its error code: occurrence_not_due when another worker fired it first',
  labelNames: ['code'] as const,
  registers: [registry],
});

export const skippedOccurrences = new Counter({
  name: 'kairos_skipped_occurrences_total',
  help: 'Occurrences skipped by policy',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const failureAlerts = new Counter({
  name: 'kairos_failure_alerts_total',
  help: 'Failure alerts by result: delivered, or failed (every attempt refused; the alert is given up)',
  labelNames: ['result'] as const,
  registers: [registry],
});
