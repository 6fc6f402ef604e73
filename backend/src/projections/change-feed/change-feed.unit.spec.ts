import { randomUUID } from 'node:crypto';
import { MAX_NOTIFY_PAYLOAD_BYTES, decodeChange, encodeChange } from './change-feed';

describe('change payloads', () => {
  const change = {
    position: 42,
    buckets: [3, 9],
    tasks: [randomUUID()],
    executions: [{ taskId: randomUUID(), occurrence: 2, attempt: 1 }],
  };

  it('round-trips a change', () => {
    expect(decodeChange(encodeChange(change, MAX_NOTIFY_PAYLOAD_BYTES))).toEqual(change);
  });

  it('turns a change over the limit into `all`', () => {
    const big = { ...change, tasks: Array.from({ length: 200 }, () => randomUUID()) };
    const payload = encodeChange(big, MAX_NOTIFY_PAYLOAD_BYTES);
    expect(payload).toBe('{"position":42,"all":true}');
    expect(decodeChange(payload)).toEqual({
      position: 42,
      buckets: [],
      tasks: [],
      executions: [],
      all: true,
    });
  });

  it('rejects what is not a change', () => {
    expect(decodeChange('nope')).toBeNull();
    expect(decodeChange('{"position":"1"}')).toBeNull();
    expect(decodeChange('{"position":1,"tasks":[]}')).toBeNull();
  });
});
