import { createActor } from 'xstate';
import { bucketTimerMachine } from './bucket-timer.machine';
import { type DueOccurrence, type DueSource, type Firer, dueKey } from './due-occurrence';

/** A read model whose answers the test sets: `window` is what every load reads from now on. */
class ScriptedSource implements DueSource {
  window: DueOccurrence[] = [];
  loads = 0;
  async load(): Promise<DueOccurrence[]> {
    this.loads++;
    return this.window.map((item) => ({ ...item }));
  }
  async head(): Promise<number> {
    return 0;
  }
  async changesSince(): Promise<{ due: DueOccurrence[]; head: number; more: boolean }> {
    return { due: [], head: 0, more: false };
  }
}

/**
 * Fires whatever is due and schedules what `next` says for it, with the state it wrote. What it fired
 * leaves the source's window, as the projector removes a fired occurrence's due row.
 */
class RecordingFirer implements Firer {
  readonly fired: string[] = [];
  constructor(
    private readonly source: ScriptedSource,
    private readonly next: (item: DueOccurrence) => DueOccurrence[],
  ) {}
  async fire(due: DueOccurrence[]): Promise<DueOccurrence[]> {
    const keys = due.map(dueKey);
    this.fired.push(...keys);
    this.source.window = this.source.window.filter((item) => !keys.includes(dueKey(item)));
    return due.flatMap(this.next);
  }
  async prepare(): Promise<void> {}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const occurrence = (n: number, dueAt: number, revision: number, written = false): DueOccurrence => ({
  taskId: 'cron',
  bucket: 0,
  occurrence: n,
  attempt: 1,
  dueAt,
  revision,
  ...(written && { snapshot: { state: { status: 'none' }, revision } }),
});

/**
 * A timer whose bucket has occurrence 1 due now, whose firing schedules occurrence 2 (revision 3) for
 * 300 ms later; 100 ms in, every load from then on reads `thenLoads` (a read model that trails, or moved).
 */
async function fireThenReload(thenLoads: () => DueOccurrence[]) {
  const source = new ScriptedSource();
  source.window = [occurrence(1, Date.now(), 1)];
  const firer = new RecordingFirer(source, (item) =>
    item.occurrence === 1 ? [occurrence(2, Date.now() + 300, 3, true)] : [],
  );
  const running = runTimer(source, firer, 600);
  await sleep(100);
  source.window = thenLoads();
  await running;
  return { loads: source.loads, fired: firer.fired };
}

async function runTimer(source: DueSource, firer: Firer, forMs: number): Promise<void> {
  const actor = createActor(bucketTimerMachine, {
    input: { bucket: 0, source, firer, lookaheadMs: 60_000, rescanMs: 40 },
  });
  actor.start();
  await sleep(forMs);
  actor.stop();
}

describe('bucket timer: a reload from a read model behind this worker', () => {
  it('keeps the occurrence its own firing scheduled, though the load does not have it yet', async () => {
    // The projector holds: the read model still says revision 1, and the worker's newer state dropped its
    // occurrence 1 (fired), so every rescan reads nothing for the task.
    const { loads, fired } = await fireThenReload(() => []);
    expect(loads).toBeGreaterThan(3); // occurrence 2 was due after several reloads
    expect(fired).toEqual(['cron:1:1', 'cron:2:1']);
  });

  it('lets a load at a newer revision replace what the worker scheduled (the task was edited)', async () => {
    // An edit after the firing rescheduled it: the read model has occurrence 5 at revision 4.
    const { fired } = await fireThenReload(() => [occurrence(5, Date.now() + 250, 4)]);
    expect(fired).toEqual(['cron:1:1', 'cron:5:1']);
  });
});

/** A read model whose load answers 100 ms after it is asked, with the bucket as it was when asked. */
class SlowSource extends ScriptedSource {
  override async load(): Promise<DueOccurrence[]> {
    const asked = await super.load();
    await sleep(100);
    return asked;
  }
}

describe('bucket timer: an occurrence offered while a load is under way', () => {
  it('fires it at its due time, though the load read the bucket before it was written', async () => {
    const source = new SlowSource();
    const firer = new RecordingFirer(source, () => []);
    const actor = createActor(bucketTimerMachine, {
      input: { bucket: 0, source, firer, lookaheadMs: 60_000, rescanMs: 60_000 }, // no rescan in the test
    });
    actor.start(); // the first load reads an empty bucket
    await sleep(20);
    const due = Date.now() + 200;
    // The projector wrote the row after that read; the change feed offers it while the load is out.
    actor.send({ type: 'OFFER', due: [occurrence(1, due, 1)] });
    await sleep(320);
    actor.stop();
    expect(source.loads).toBe(1);
    expect(firer.fired).toEqual(['cron:1:1']);
  });
});

describe('bucket timer: firing with a lead (ADR 022)', () => {
  it('fires an occurrence up to the lead before its due time, never earlier', async () => {
    const source = new ScriptedSource();
    const due = Date.now() + 300;
    source.window = [occurrence(1, due, 1)];
    const firedAt: number[] = [];
    const firer = new RecordingFirer(source, () => []);
    const fire = firer.fire.bind(firer);
    firer.fire = (items) => (firedAt.push(Date.now()), fire(items));
    const actor = createActor(bucketTimerMachine, {
      input: { bucket: 0, source, firer, lookaheadMs: 60_000, rescanMs: 60_000, lead: () => 100 },
    });
    actor.start();
    await sleep(350);
    actor.stop();
    expect(firer.fired).toEqual(['cron:1:1']);
    expect(firedAt[0]).toBeGreaterThanOrEqual(due - 100);
    expect(firedAt[0]).toBeLessThan(due);
  });

  it('fires occurrences due together by the lead of their number: a burst goes further ahead', async () => {
    const source = new ScriptedSource();
    const due = Date.now() + 400;
    source.window = Array.from({ length: 10 }, (_, i) => occurrence(i + 1, due, 1));
    const firedAt: number[] = [];
    const firer = new RecordingFirer(source, () => []);
    const fire = firer.fire.bind(firer);
    firer.fire = (items) => (firedAt.push(Date.now()), fire(items));
    const actor = createActor(bucketTimerMachine, {
      input: {
        bucket: 0,
        source,
        firer,
        lookaheadMs: 60_000,
        rescanMs: 60_000,
        lead: (dueTogether) => (dueTogether >= 10 ? 300 : 20),
      },
    });
    actor.start();
    await sleep(450);
    actor.stop();
    expect(firer.fired).toHaveLength(10);
    expect(firedAt).toHaveLength(1); // all ten in one firing
    expect(firedAt[0]).toBeGreaterThanOrEqual(due - 300);
    expect(firedAt[0]).toBeLessThan(due - 150);
  });
});
