import type { TaskDefinitionInput } from '../../tasks/domain/task';
import { type LedgerItem, buildLedger, countByStatus, dueInstants } from './occurrence-ledger';
import { projectedLedgerInput } from './test/projected-input';
import { LIFE_TASK_ID, type LifeStep, simulateLife } from './test/simulated-life';
import { jitterOffsetMs } from '../../tasks/domain/jitter';

const T0 = Date.parse('2026-11-24T09:00:00Z');
const s = (seconds: number) => T0 + seconds * 1000;
const every5: TaskDefinitionInput = {
  name: 'every 5 s',
  schedule: { kind: 'cron', expression: '*/5 * * * * *', timezone: 'UTC' },
  action: { kind: 'log', message: 'x' },
  retry: { maxAttempts: 1 },
};
const fire = (advanceMs: number): LifeStep => ({ advanceMs, kind: 'fire' });
const finish: LifeStep = { advanceMs: 100, kind: 'finish', outcome: 'succeeded' };
/** A worker on time: fires at each instant, the run takes 100 ms. */
const onTime = (count: number): LifeStep[] =>
  Array.from({ length: count }, (_, i) => [fire(i === 0 ? 5000 : 4900), finish]).flat();

function ledger(definition: TaskDefinitionInput, steps: LifeStep[], window?: { from: number; to: number }) {
  const life = simulateLife(definition, steps, T0);
  const { from, to } = window ?? { from: T0, to: life.now + 1 };
  const input = projectedLedgerInput(life.events, { from, to, now: life.now });
  const instants = dueInstants(input.versions, from, to, 10_000);
  if (!instants) throw new Error('too many instants');
  return buildLedger(input, instants);
}

const brief = (items: LedgerItem[]) =>
  items.map((i) => `${(i.dueAt - T0) / 1000}:${i.status}${i.reason ? `/${i.reason}` : ''}`);

describe('the occurrence ledger', () => {
  it('shows a jittered run’s planned start, and its lag from there', () => {
    const offset = jitterOffsetMs(LIFE_TASK_ID, 1, 1000);
    const items = ledger({ ...every5, jitterMs: 1000 }, [fire(6000), finish]);
    expect(items[0]).toMatchObject({
      dueAt: s(5),
      status: 'executed',
      occurrence: 1,
      plannedAt: s(5) + offset,
      startedAt: s(6),
      lagMs: 1000 - offset,
    });
    expect(ledger(every5, [fire(6000), finish])[0]).not.toHaveProperty('plannedAt');
  });

  it('lists each instant a worker ran on time as executed, with its run', () => {
    const items = ledger(every5, onTime(3));
    expect(brief(items)).toEqual(['5:executed', '10:executed', '15:executed']);
    expect(items[1]).toEqual({
      dueAt: s(10),
      kind: 'schedule',
      status: 'executed',
      occurrence: 2,
      attempts: 1,
      outcome: 'succeeded',
      startedAt: s(10),
      finishedAt: s(10.1),
      lagMs: 0,
    });
  });

  it('shows the instants of a pause as paused (fire_once: one catch-up run at the resume)', () => {
    const items = ledger(
      every5,
      [
        ...onTime(2),
        { advanceMs: 1000, kind: 'pause' }, // at 11.1 s
        { advanceMs: 80_000, kind: 'resume' }, // at 91.1 s: 15 … 90 were paused
        fire(0),
        finish,
      ],
      { from: T0, to: s(100) },
    );
    expect(brief(items.slice(0, 3))).toEqual(['5:executed', '10:executed', '15:paused/paused']);
    expect(brief(items.slice(-3))).toEqual(['90:paused/paused', '91.1:executed', '95:scheduled']);
    expect(items.at(-2)?.kind).toBe('catch_up');
    expect(countByStatus(items)).toMatchObject({ executed: 3, paused: 16, scheduled: 1, missing: 0 });
  });

  it('after a pause shorter than the misfire threshold, runs the held-back instants late', () => {
    const steps = [
      ...onTime(2),
      { advanceMs: 1000, kind: 'pause' }, // at 11.1 s
      { advanceMs: 20_000, kind: 'resume' }, // at 31.1 s: 15 … 30 are owed, late
    ] satisfies LifeStep[];
    expect(brief(ledger(every5, [...steps, fire(0)]).slice(2))).toEqual([
      '15:running',
      '20:scheduled',
      '25:upcoming',
      '30:upcoming',
    ]);
    const caughtUp = [...steps, ...[1, 2, 3, 4, 5].flatMap(() => [fire(0), finish])];
    expect(brief(ledger(every5, caughtUp).slice(2))).toEqual([
      '15:executed',
      '20:executed',
      '25:executed',
      '30:executed',
    ]);
  });

  it('under fire_once, runs the first missed instant late and marks the ones it passed over misfired', () => {
    const items = ledger(every5, [...onTime(1), fire(120_000), finish]); // the worker was away 2 min
    expect(items[1]).toMatchObject({ dueAt: s(10), status: 'executed', occurrence: 2, lagMs: 115_100 });
    const passedOver = items.slice(2);
    expect(passedOver).toHaveLength(23); // 15 … 125
    expect(passedOver.every((i) => i.status === 'misfired' && i.coveredBy === 2)).toBe(true);
    expect(countByStatus(items)).toMatchObject({ executed: 2, misfired: 23, missing: 0 });
  });

  it('under skip, records the skip and marks the ones passed over with it misfired', () => {
    const items = ledger({ ...every5, misfire: 'skip' }, [...onTime(1), fire(120_000)]);
    expect(brief(items.slice(0, 3))).toEqual(['5:executed', '10:skipped/misfire', '15:misfired/misfire']);
    expect(items.at(-1)).toMatchObject({ dueAt: s(125), status: 'misfired', coveredBy: 2 });
    expect(countByStatus(items).missing).toBe(0);
  });

  it('records an overlap skip, and a running execution as running', () => {
    const items = ledger(every5, [fire(5000), fire(5000)]); // the first still runs at 10 s
    expect(brief(items)).toEqual(['5:running', '10:skipped/overlap']);
  });

  it('adds manual runs and a resume’s catch-up run as extra items', () => {
    const items = ledger(every5, [
      ...onTime(1),
      { advanceMs: 1000, kind: 'pause' },
      { advanceMs: 500, kind: 'trigger' },
      fire(0),
      finish,
      { advanceMs: 120_000, kind: 'resume' }, // fire_once: the missed ones collapse into one run now
      fire(0),
      finish,
    ]);
    const extra = items.filter((i) => i.kind !== 'schedule');
    expect(extra).toEqual([
      expect.objectContaining({ kind: 'manual', dueAt: s(6.6), status: 'executed', occurrence: 3 }),
      expect.objectContaining({ kind: 'catch_up', dueAt: s(126.7), status: 'executed', occurrence: 4 }),
    ]);
    expect(countByStatus(items)).toMatchObject({ paused: 24, missing: 0 });
  });

  it('marks the due instants a schedule change dropped unfired as skipped (rescheduled)', () => {
    const items = ledger(every5, [
      ...onTime(1),
      { advanceMs: 7000, kind: 'update', changes: { schedule: { kind: 'interval', everySeconds: 3 } } },
      fire(3000),
    ]);
    // 10 was due and not fired at 12.1 s; the interval then runs every 3 s from the change.
    expect(brief(items)).toEqual(['5:executed', '10:skipped/rescheduled', '15.1:running']);
  });

  it('says upcoming for the future and for instants behind the pending one', () => {
    const life = simulateLife(every5, [...onTime(1), { advanceMs: 10_000, kind: 'trigger' }], T0);
    // now = 15.1 s: 10 is pending (the worker has not come), 15 waits behind it.
    const input = projectedLedgerInput(life.events, { from: T0, to: s(30), now: life.now });
    const items = buildLedger(input, dueInstants(input.versions, T0, s(30), 100)!);
    expect(brief(items.filter((i) => i.kind === 'schedule'))).toEqual([
      '5:executed',
      '10:scheduled',
      '15:upcoming',
      '20:upcoming',
      '25:upcoming',
    ]);
  });

  it('says waiting for a pending occurrence that waits for a concurrency slot', () => {
    const life = simulateLife(every5, [...onTime(1), { advanceMs: 10_000, kind: 'trigger' }], T0);
    const input = projectedLedgerInput(life.events, { from: T0, to: s(30), now: life.now });
    // The regular occurrence due at 10 s waits for its slot (the manual run stays scheduled).
    const waitsAt10 = (p: (typeof input.pending)[number]) =>
      p.dueAt === s(10) ? { ...p, waitingSince: new Date(s(10)).toISOString() } : p;
    const waiting = { ...input, pending: input.pending.map(waitsAt10) };
    const items = buildLedger(waiting, dueInstants(input.versions, T0, s(30), 100)!);
    expect(brief(items.filter((i) => i.kind === 'schedule')).slice(0, 3)).toEqual([
      '5:executed',
      '10:waiting',
      '15:upcoming',
    ]);
    expect(countByStatus(items).waiting).toBe(1);
  });

  it('names an instant nothing explains missing', () => {
    const life = simulateLife(every5, onTime(3), T0);
    const input = projectedLedgerInput(life.events, { from: T0, to: s(16), now: life.now });
    const withoutSecond = { ...input, executions: input.executions.filter((e) => e.occurrence !== 2) };
    const items = buildLedger(withoutSecond, dueInstants(input.versions, T0, s(16), 100)!);
    expect(brief(items)).toEqual(['5:executed', '10:missing', '15:executed']);
  });

  it('reads a window from the rows the query selects for it, the runs before it included', () => {
    const steps = [...onTime(1), fire(120_000), finish];
    const whole = ledger(every5, steps);
    const part = ledger(every5, steps, { from: s(60), to: s(90) });
    expect(part).toEqual(whole.filter((i) => i.dueAt >= s(60) && i.dueAt < s(90)));
    expect(part.every((i) => i.status === 'misfired')).toBe(true);
  });
});

describe('dueInstants', () => {
  const version = {
    since: T0,
    schedule: { kind: 'interval', everySeconds: 1 } as const,
    until: null,
    untilReason: null,
    droppedFrom: null,
  };

  it('lists instants after the schedule took effect, within [from, to), each once', () => {
    const instants = dueInstants([version], T0 - 10_000, s(3), 100)!;
    expect(instants.map((i) => i.at)).toEqual([s(1), s(2)]);
  });

  it('ends a version at its end, inclusive, and hands over to the next', () => {
    const versions = [
      { ...version, until: s(2), untilReason: 'rescheduled' as const },
      { ...version, since: s(2), schedule: { kind: 'interval', everySeconds: 2 } as const },
    ];
    expect(dueInstants(versions, T0, s(9), 100)!.map((i) => (i.at - T0) / 1000)).toEqual([1, 2, 4, 6, 8]);
  });

  it('answers null past the cap', () => {
    expect(dueInstants([version], T0, s(102), 100)).toBeNull();
    expect(dueInstants([version], T0, s(101), 100)).toHaveLength(100);
  });

  it('keeps a once instant owed from before its registration', () => {
    const once = { ...version, schedule: { kind: 'once', at: new Date(T0 - 5000).toISOString() } as const };
    expect(dueInstants([once], T0 - 60_000, T0, 10)!.map((i) => i.at)).toEqual([T0 - 5000]);
  });
});
