import type { LiveMessage } from './change';
import { LiveFanout } from './live-fanout';

const TASK_A = '00000000-0000-4000-8000-00000000000a';
const TASK_B = '00000000-0000-4000-8000-00000000000b';

describe('LiveFanout', () => {
  let sent: LiveMessage[];
  let fanout: LiveFanout;
  beforeEach(() => {
    sent = [];
    fanout = new LiveFanout((message) => sent.push(message), 1_000_000);
  });
  afterEach(() => fanout.stop());

  it('coalesces changes into one message per topic, at the highest position', () => {
    fanout.push({ position: 3, buckets: [], tasks: [TASK_A], executions: [] });
    fanout.push({
      position: 5,
      buckets: [],
      tasks: [TASK_A, TASK_B],
      executions: [{ taskId: TASK_A, occurrence: 1, attempt: 1 }],
    });
    fanout.flush();
    expect(sent).toEqual([
      { topic: 'tasks', position: 5, tasks: [TASK_A, TASK_B] },
      { topic: `task:${TASK_A}`, position: 5, executions: [{ taskId: TASK_A, occurrence: 1, attempt: 1 }] },
      { topic: `task:${TASK_B}`, position: 5, executions: [] },
      { topic: 'stats', position: 5 },
    ]);
  });

  it('sends nothing when nothing changed, and `all` when the feed says so', () => {
    fanout.flush();
    expect(sent).toEqual([]);
    fanout.push({ position: 9, buckets: [], tasks: [], executions: [], all: true });
    fanout.flush();
    expect(sent).toEqual([
      { topic: 'tasks', position: 9, tasks: [], all: true },
      { topic: 'stats', position: 9 },
    ]);
  });

  it('tells the list "everything" instead of naming more than 500 tasks', () => {
    const tasks = Array.from(
      { length: 501 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    fanout.push({ position: 1, buckets: [], tasks, executions: [] });
    fanout.flush();
    expect(sent[0]).toEqual({ topic: 'tasks', position: 1, tasks: [], all: true });
  });
});
