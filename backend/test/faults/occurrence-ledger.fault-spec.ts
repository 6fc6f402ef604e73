import { type Arrival, computeLedger, type LedgerOptions, type TaskHistory } from './occurrence-ledger';

/** The suite's arithmetic, pure: the figures a fault case reports are only as good as this. */
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;
const options: LedgerOptions = { periodMs: 1000, windowEnd: s(10), settleMs: 3000, resendPerAttempt: false };

/** A task firing every second from T0, occurrence n due at s(n - 1), started `lagMs` late. */
function history(taskId: string, occurrences: number, lagMs = 100): TaskHistory {
  const numbers = Array.from({ length: occurrences }, (_, i) => i + 1);
  return {
    taskId,
    scheduled: numbers.map((n) => ({
      occurrence: n,
      attempt: 1,
      dueAt: s(n - 1),
      reason: n === 1 ? 'registered' : 'next',
    })),
    started: numbers.map((n) => ({
      occurrence: n,
      attempt: 1,
      dueAt: s(n - 1),
      startedAt: s(n - 1) + lagMs,
    })),
    executed: [],
    skipped: [],
  };
}

function arrivalsFor(h: TaskHistory, lagMs = 200): Arrival[] {
  return h.started.map((start) => ({
    key: `${h.taskId}:${start.occurrence}`,
    at: start.dueAt + lagMs,
    mode: 'ok',
  }));
}

describe('computeLedger', () => {
  it('counts a clean run: every instant up to windowEnd - settle is due and fired once', () => {
    const h = history('a', 11); // due s(0) .. s(10)
    const { figures, rows } = computeLedger([h], arrivalsFor(h), options);
    expect(figures).toMatchObject({
      tasks: 1,
      due: 8,
      fired: 8,
      doubled: 0,
      missing: 0,
      skipped: 0,
      resent: 0,
    });
    expect(figures).toMatchObject({ undelivered: 0, unrecorded: 0, offGrid: 0 });
    expect(figures.worstStartLagMs).toBe(100);
    expect(figures.worstArrivalLagMs).toBe(200);
    expect(rows.filter((r) => r.required)).toHaveLength(8); // s(0) .. s(7)
    expect(rows).toHaveLength(11);
  });

  it('tells a missing instant from a recorded skip, and ignores instants not yet required', () => {
    const h = history('a', 6); // started s(0) .. s(5); s(6) .. s(10) never
    h.started = h.started.filter((start) => start.occurrence !== 3); // s(2) never started
    h.skipped.push({ occurrence: 5, dueAt: s(4), reason: 'overlap' });
    h.started = h.started.filter((start) => start.occurrence !== 5); // s(4) skipped instead
    const { figures } = computeLedger([h], arrivalsFor(h), options);
    // due s(0)..s(7): s(2) missing, s(4) skipped, s(6) and s(7) missing; s(8)..s(10) not required yet
    expect(figures).toMatchObject({ due: 8, fired: 4, missing: 3, skipped: 1 });
  });

  it('justifies a skip only by a run really going at its due time, never by a run closed as lost', () => {
    const skippedAt = (executed: TaskHistory['executed']) => {
      const h = history('a', 8);
      h.skipped.push({ occurrence: 5, dueAt: s(4), reason: 'overlap' });
      h.started = h.started.filter((start) => start.occurrence !== 5);
      h.executed = executed;
      return computeLedger([h], arrivalsFor(h), options).figures.unjustifiedSkips;
    };
    const run = (outcome: 'succeeded' | 'lost', startedAt: number, finishedAt: number) => ({
      occurrence: 4,
      attempt: 1,
      outcome,
      startedAt,
      finishedAt,
      durationMs: finishedAt - startedAt,
    });
    expect(skippedAt([run('succeeded', s(3), s(4) + 500)])).toBe(0); // occurrence 4 still ran at s(4)
    expect(skippedAt([run('succeeded', s(3), s(3) + 500)])).toBe(1); // it had ended: no overlap
    expect(skippedAt([run('lost', s(3), s(5))])).toBe(1); // a dead worker's run proves nothing
    expect(skippedAt([])).toBe(1);
  });

  it('counts an instant started by two occurrences, and one occurrence+attempt started twice, as doubled', () => {
    const h = history('a', 5);
    const arrivals = arrivalsFor(h); // each call arrived once
    h.started.push({ occurrence: 9, attempt: 1, dueAt: s(1), startedAt: s(1) + 50 }); // a second occurrence at s(1)
    h.started.push({ occurrence: 3, attempt: 1, dueAt: s(2), startedAt: s(2) + 70 }); // occurrence 3 again
    // s(1) twice, s(2) twice, and occurrence 3 attempt 1 twice
    expect(computeLedger([h], arrivals, options).figures.doubled).toBe(3);
  });

  it('counts a key seen twice as re-sent, and as doubled unless each arrival had its own attempt', () => {
    const h = history('a', 3);
    const arrivals = [...arrivalsFor(h), { key: 'a:2', at: s(1) + 900, mode: 'ok' as const }];
    expect(computeLedger([h], arrivals, options).figures).toMatchObject({ resent: 1, doubled: 1 });
    const perAttempt = { ...options, resendPerAttempt: true };
    expect(computeLedger([h], arrivals, perAttempt).figures).toMatchObject({ resent: 1, doubled: 1 });
    h.started.push({ occurrence: 2, attempt: 2, dueAt: s(1) + 800, startedAt: s(1) + 850 });
    expect(computeLedger([h], arrivals, perAttempt).figures).toMatchObject({ resent: 1, doubled: 0 });
  });

  it('counts calls without a recorded start, calls that never came, and starts off the grid', () => {
    const h = history('a', 8);
    const arrivals = arrivalsFor(h).filter((a) => a.key !== 'a:4'); // s(3) started, never delivered
    arrivals.push({ key: 'a:99', at: s(5), mode: 'ok' }); // delivered, never recorded
    arrivals.push({ key: 'a:98', at: s(9), mode: 'ok' }); // within the settle margin: may still be recorded
    h.started.push({ occurrence: 50, attempt: 1, dueAt: s(5) + 500, startedAt: s(6) });
    const { figures } = computeLedger([h], arrivals, options);
    expect(figures).toMatchObject({ undelivered: 1, unrecorded: 1, offGrid: 1 });
  });

  it('takes the worst lag over every task, at start and at arrival', () => {
    const slow = history('b', 8, 2500);
    const { figures } = computeLedger(
      [history('a', 8), slow],
      [...arrivalsFor(history('a', 8)), ...arrivalsFor(slow, 4000)],
      options,
    );
    expect(figures.worstStartLagMs).toBe(2500);
    expect(figures.worstArrivalLagMs).toBe(4000);
  });
});
