import { ForegroundAnnouncer, ForegroundElsewhere } from './foreground-elsewhere';

describe('the foreground of other processes', () => {
  it('sums the latest count of each process, ignoring messages overtaken and malformed ones', () => {
    const elsewhere = new ForegroundElsewhere(() => 0);
    elsewhere.receive('api-1 1 1000');
    elsewhere.receive('worker-1 1 500');
    elsewhere.receive('api-1 3 2000');
    elsewhere.receive('api-1 2 0'); // sent before the one above, delivered after it
    for (const junk of ['', 'api-3', 'api-3 x 10', 'api-3 1 -5', 'api-3 1 1e400']) elsewhere.receive(junk);
    expect(elsewhere.count()).toBe(2500);
    elsewhere.receive('worker-1 2 0');
    expect(elsewhere.count()).toBe(2000);
  });

  it('forgets a count not said again within 3 s (its process died)', () => {
    let now = 0;
    const elsewhere = new ForegroundElsewhere(() => now);
    elsewhere.receive('api-1 1 1000');
    now = 3000;
    expect(elsewhere.count()).toBe(1000);
    now = 3001;
    expect(elsewhere.count()).toBe(0);
  });
});

describe('announcing this process’s foreground', () => {
  /** An announcer looked at by hand (its own timer is far slower than the test's steps). */
  function announcer(count: () => number, clock: () => number, fail = () => false) {
    const said: string[] = [];
    const announcer = new ForegroundAnnouncer(
      count,
      async (payload) => {
        if (fail()) throw new Error('PostgreSQL away');
        said.push(payload);
      },
      clock,
    );
    announcer.close();
    const counts = () => said.map((payload) => Number(payload.split(' ')[2]));
    const sequences = () => said.map((payload) => Number(payload.split(' ')[1]));
    return { announcer, counts, sequences };
  }

  it('says when it becomes busy and when it is no longer, nothing in between or while idle', () => {
    let items = 10;
    let now = 0;
    const {
      announcer: a,
      counts,
      sequences,
    } = announcer(
      () => items,
      () => now,
    );
    a.look();
    expect(counts()).toEqual([]); // idle from the start: nothing to say
    items = 1000;
    a.look();
    items = 900;
    now = 500;
    a.look(); // still busy, within the second: nothing new
    items = 3;
    a.look();
    a.look();
    expect(counts()).toEqual([1000, 0]);
    expect(sequences()).toEqual([1, 2]);
  });

  it('says a busy foreground again every second', () => {
    let now = 0;
    const { announcer: a, counts } = announcer(
      () => 5000,
      () => now,
    );
    a.look();
    now = 999;
    a.look();
    now = 1000;
    a.look();
    expect(counts()).toEqual([5000, 5000]);
  });

  it('goes on after a message that could not be sent', async () => {
    let items = 1000;
    let away = true;
    const { announcer: a, counts } = announcer(
      () => items,
      () => 0,
      () => away,
    );
    a.look();
    await Promise.resolve();
    away = false;
    items = 0;
    a.look();
    expect(counts()).toEqual([0]);
  });
});
