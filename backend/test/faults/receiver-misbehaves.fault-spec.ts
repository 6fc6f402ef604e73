import { sleep } from '../wait-for';
import { FaultCase } from './fault-case';
import type { Arrival, Executed, TaskHistory } from './occurrence-ledger';

/**
 * Fault 5: the receiver misbehaves, then recovers: it hangs (never answers, so each call runs into the
 * task's 2 s timeout), then resets connections, then answers 500, then 200 again. One all-in-one
 * process with 10 execution slots for 20 every-second crons. Acceptance: each execution's outcome is
 * what the receiver did (a hang is `timed_out`), retries follow the task's policy, no execution is
 * left open and no slot leaks (after recovery every occurrence is delivered within 10 s), nothing is
 * lost. Skipping an occurrence while the last one still runs is the tasks' overlap policy here.
 */
const fault = new FaultCase(5, 'receiver-misbehaves', 'receiver hangs, resets, answers 500, recovers');

const TIMEOUT_MS = 2000;
const RETRY = { maxAttempts: 3, backoffMs: 500, backoffFactor: 2, maxBackoffMs: 5000 };
const backoff = (attempt: number) =>
  Math.min(RETRY.backoffMs * RETRY.backoffFactor ** (attempt - 1), RETRY.maxBackoffMs);
const EXPECTED = { ok: 'succeeded', hang: 'timed_out', reset: 'failed', error: 'failed' } as const;

afterAll(() => fault.cleanup());

it('receiver: timeouts, resets and 500s are recorded and retried by policy; it recovers', async () => {
  await fault.run(async () => {
    const postgres = await fault.postgres();
    const receiver = await fault.receiver();
    const kairos = await fault.kairos('all-in-one', 'api,projector,worker', {
      DATABASE_URL: postgres.url,
      KAIROS_WORKER_CONCURRENCY: '10',
    });
    await fault.registerCrons(kairos, receiver, { timeoutMs: TIMEOUT_MS, retry: RETRY });
    await fault.waitAllDelivered(receiver);
    await sleep(2000);
    for (const [mode, ms] of [
      ['hang', 6000],
      ['reset', 4000],
      ['error', 4000],
    ] as const) {
      receiver.setMode(mode);
      fault.mark(`receiver: ${mode}`);
      await sleep(ms);
    }
    receiver.setMode('ok');
    const recoveredAt = Date.now();
    fault.mark('receiver: ok again');
    await sleep(18_000);

    const { figures, rows, histories, windowEnd } = await fault.measure(postgres.url, receiver, {
      settleMs: 10_000,
      resendPerAttempt: true,
    });
    fault.checkCommon(figures, { lagLimitMs: 10_000, skips: 'real-overlaps' });
    fault.checkAlive();
    checkOutcomes(histories, receiver.arrivals);
    checkRetries(histories, windowEnd - 10_000);
    const open = histories.flatMap((h) =>
      h.started.filter(
        (s) =>
          s.startedAt < windowEnd - TIMEOUT_MS - 5000 &&
          !h.executed.some((e) => e.occurrence === s.occurrence && e.attempt === s.attempt),
      ),
    );
    fault.check(
      'no execution left open',
      open.length === 0,
      `${open.length} started > 7 s ago without an outcome`,
    );
    const recovered = rows.filter((r) => r.required && r.dueAt >= recoveredAt + 3000);
    const late = recovered.filter(
      (r) => r.starts === 0 || r.arrivalLagMs === undefined || r.arrivalLagMs >= 10_000,
    );
    fault.check(
      'after recovery every occurrence delivered within 10 s (no slot leak)',
      recovered.length > 0 && late.length === 0,
      `${late.length} of ${recovered.length} occurrences due from 3 s after recovery not delivered in time`,
    );
    return figures;
  });
});

/** Each outcome is what the receiver did with that attempt's call (matched by key and time). */
function checkOutcomes(histories: TaskHistory[], arrivals: Arrival[]): void {
  const seen = { ok: 0, hang: 0, reset: 0, error: 0, none: 0 };
  const wrong: string[] = [];
  const slowTimeouts: number[] = [];
  for (const history of histories) {
    for (const execution of history.executed) {
      const call = callOf(history.taskId, execution, arrivals);
      if (!call) {
        seen.none++;
        if (execution.outcome === 'succeeded')
          wrong.push(`${execution.occurrence}/${execution.attempt} succeeded without a call`);
        continue;
      }
      seen[call.mode]++;
      if (execution.outcome !== EXPECTED[call.mode])
        wrong.push(
          `${call.mode} recorded as ${execution.outcome}${execution.error ? ` (${execution.error.slice(0, 80)})` : ''}`,
        );
      // From the call's arrival, not from the start: a call may wait for one of the 10 slots first.
      const hungMs = execution.finishedAt - call.at;
      if (call.mode === 'hang' && Math.abs(hungMs - TIMEOUT_MS) > 1000) slowTimeouts.push(hungMs);
    }
  }
  fault.mark(`calls per receiver mode: ${JSON.stringify(seen)}`);
  fault.check(
    'each outcome is what the receiver did (a hang is timed_out)',
    wrong.length === 0 && seen.hang > 0 && seen.reset > 0 && seen.error > 0,
    wrong.length === 0
      ? `hang ${seen.hang}, reset ${seen.reset}, 500 ${seen.error}, ok ${seen.ok}`
      : `${wrong.length} wrong: ${wrong.slice(0, 3).join('; ')}`,
  );
  fault.check(
    `a hung call ends at the ${TIMEOUT_MS} ms timeout`,
    slowTimeouts.length === 0,
    slowTimeouts.length === 0
      ? 'all within 1 s of it, counted from the call'
      : `${slowTimeouts.length} off by > 1 s, e.g. ${slowTimeouts[0]} ms after the call arrived`,
  );
}

function callOf(taskId: string, execution: Executed, arrivals: Arrival[]): Arrival | undefined {
  const key = `${taskId}:${execution.occurrence}`;
  return arrivals.findLast(
    (a) => a.key === key && a.at >= execution.startedAt - 100 && a.at <= execution.finishedAt + 100,
  );
}

/** A failed attempt below maxAttempts is retried after its backoff; the last one is not. */
function checkRetries(histories: TaskHistory[], lastRequired: number): void {
  const problems: string[] = [];
  let retried = 0;
  for (const history of histories) {
    for (const failure of history.executed.filter((e) => e.outcome !== 'succeeded')) {
      const next = failure.attempt + 1;
      const scheduled = history.scheduled.find(
        (s) => s.occurrence === failure.occurrence && s.attempt === next,
      );
      const started = history.started.some((s) => s.occurrence === failure.occurrence && s.attempt === next);
      if (failure.attempt >= RETRY.maxAttempts) {
        if (scheduled || started) problems.push(`attempt ${next} after the last one`);
        continue;
      }
      if (!scheduled) {
        problems.push(`${failure.outcome} attempt ${failure.attempt} not retried`);
        continue;
      }
      retried++;
      const wait = scheduled.dueAt - failure.finishedAt;
      if (wait < backoff(failure.attempt) - 50 || wait > backoff(failure.attempt) + 2000)
        problems.push(
          `retry ${next} due ${wait} ms after the failure, backoff ${backoff(failure.attempt)} ms`,
        );
      if (scheduled.dueAt <= lastRequired && !started) problems.push(`retry ${next} due but not started`);
    }
  }
  fault.check(
    'failed attempts retried per the policy (3 attempts, 500 ms x2)',
    problems.length === 0 && retried > 0,
    problems.length === 0
      ? `${retried} retries, each after its backoff`
      : `${problems.length}: ${problems.slice(0, 3).join('; ')}`,
  );
}
