import { callReceiver, receiverAgent } from './receiver-client';
import { Receiver } from './receiver';
import { measureReceiverFloor } from './receiver-floor';

describe('Receiver', () => {
  let receiver: Receiver;
  const agent = receiverAgent();

  beforeAll(async () => {
    receiver = await Receiver.start();
  });

  afterAll(async () => {
    await agent.close();
    await receiver?.stop();
  });

  it('listens on loopback and records key, due time, idempotency key and arrival time', async () => {
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const before = Date.now();
    await callReceiver(agent, receiver.url, 'w1-7', 5000, 'job-1');
    await callReceiver(agent, receiver.url, 'w1-7', 5000, 'job-1');
    await callReceiver(agent, receiver.url, 'other-1', 6000, 'job-2');
    const arrivals = await receiver.arrivals('w1-');
    expect(arrivals).toHaveLength(2);
    expect(arrivals[0]).toMatchObject({ key: 'w1-7', dueAt: 5000, idempotencyKey: 'job-1' });
    expect(arrivals[0].arrivedAt).toBeGreaterThanOrEqual(before);
  });

  it('keys an every-second task by occurrence, from the due-at header', async () => {
    await callReceiver(agent, receiver.url, 'w3-1', 7000, 'task:1');
    expect((await receiver.arrivals('w3-', true)).map((a) => a.key)).toEqual(['w3-1@7000']);
  });

  it('answers a plain POST with a body 200 and records null for missing headers', async () => {
    const response = await fetch(`${receiver.url}/bare`, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(response.status).toBe(200);
    expect(await receiver.arrivals('bare')).toMatchObject([{ dueAt: null, idempotencyKey: null }]);
  });

  it('clears, and measures its floor leaving no arrivals behind', async () => {
    expect(await receiver.clear()).toBeGreaterThan(0);
    const floor = await measureReceiverFloor(receiver, 500);
    expect(floor).toMatchObject({ requests: 500, sockets: 256 });
    expect(floor.requestsPerSecond).toBeGreaterThan(0);
    expect(await receiver.arrivals('')).toEqual([]);
  });
});
