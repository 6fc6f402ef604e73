import { BulkRegistrationsAnnouncer, OtherProcessesRegistrations } from './bulk-registrations';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('other processes’ bulk registrations', () => {
  it('sums the latest count of each process, ignoring messages overtaken and malformed ones', () => {
    const others = new OtherProcessesRegistrations(() => 0);
    others.receive('api-1 1 1000');
    others.receive('api-2 1 500');
    others.receive('api-1 3 2000');
    others.receive('api-1 2 0'); // sent before the one above, delivered after it
    for (const junk of ['', 'api-3', 'api-3 x 10', 'api-3 1 -5', 'api-3 1 1e400']) others.receive(junk);
    expect(others.total()).toBe(2500);
    others.receive('api-2 2 0');
    expect(others.total()).toBe(2000);
  });

  it('forgets a count not said again within 3 s (its process died)', () => {
    let now = 0;
    const others = new OtherProcessesRegistrations(() => now);
    others.receive('api-1 1 1000');
    now = 3000;
    expect(others.total()).toBe(1000);
    now = 3001;
    expect(others.total()).toBe(0);
  });
});

describe('announcing this process’s bulk registrations', () => {
  it('says the latest count, coalescing changes made while a message is on its way', async () => {
    const said: string[] = [];
    const announcer = new BulkRegistrationsAnnouncer(async (payload) => {
      said.push(payload);
      await sleep(5);
    });
    announcer.changed(1000);
    announcer.changed(2000);
    announcer.changed(1000);
    announcer.changed(0);
    await sleep(60);
    const counts = said.map((payload) => Number(payload.split(' ')[2]));
    expect(counts).toEqual([1000, 0]); // the three changes behind the first went out as their last
    const sequences = said.map((payload) => Number(payload.split(' ')[1]));
    expect(sequences).toEqual([1, 2]);
    announcer.close();
  });

  it('says a count above zero again every second, and a zero once', async () => {
    const said: string[] = [];
    const announcer = new BulkRegistrationsAnnouncer(async (payload) => void said.push(payload));
    announcer.changed(1000);
    await sleep(1100);
    expect(said.map((payload) => payload.split(' ')[2])).toEqual(['1000', '1000']);
    announcer.changed(0);
    await sleep(1100);
    expect(said.map((payload) => payload.split(' ')[2])).toEqual(['1000', '1000', '0']);
    announcer.close();
  });

  it('goes on after a message that could not be sent', async () => {
    const said: string[] = [];
    let fail = true;
    const announcer = new BulkRegistrationsAnnouncer(async (payload) => {
      if (fail) throw new Error('PostgreSQL away');
      said.push(payload);
    });
    announcer.changed(10);
    await sleep(20);
    fail = false;
    announcer.changed(0);
    await sleep(20);
    expect(said.map((payload) => payload.split(' ')[2])).toEqual(['0']);
    announcer.close();
  });
});
