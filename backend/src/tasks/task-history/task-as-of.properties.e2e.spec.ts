import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../../test/test-app';
import { cronTaskBody, registerTask } from '../../../test/task-registration';
import { toTaskView } from '../get-task/task-view';
import { assertTaskEvent, taskStreamId } from '../domain/task.events';
import { foldTaskEvents } from '../domain/task.state';
import { TaskAsOfQuery } from './task-as-of.query';

/** One step of a task's life, sent through the real HTTP API. */
type Step =
  | { kind: 'rename'; name: string }
  | { kind: 'reschedule'; everySeconds: number }
  | { kind: 'pause' | 'resume' | 'trigger' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('rename' as const), name: fc.string({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('reschedule' as const), everySeconds: fc.integer({ min: 60, max: 86_400 }) }),
  fc.record({ kind: fc.constantFrom('pause' as const, 'resume' as const, 'trigger' as const) }),
);

/**
 * The property: for a task with any life (register, then renames, new schedules, pauses, resumes and
 * triggers, each through the API and the real store), GET ?asOf=r at every revision r answers exactly
 * the view of its stream folded up to r; an instant answers the last revision recorded by then; and
 * the paged fold gives the same states with pages of 2 events as with the default.
 */
describe('asOf equals folding the stream up to that revision', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  async function live(steps: Step[]): Promise<string> {
    const id = await registerTask(api, cronTaskBody('property'));
    for (const s of steps) {
      // A step the task's state refuses (pause while paused) answers 409 and appends nothing.
      if (s.kind === 'rename') await api.request('PATCH', `/api/tasks/${id}`, { body: { name: s.name } });
      else if (s.kind === 'reschedule') {
        const schedule = { kind: 'interval', everySeconds: s.everySeconds };
        await api.request('PATCH', `/api/tasks/${id}`, { body: { schedule } });
      } else await api.request('POST', `/api/tasks/${id}/${s.kind}`);
    }
    return id;
  }

  it('at every revision, by revision and by instant', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const id = await live(steps);
        const stream = await api.store.readStream(taskStreamId(id));
        const events = stream.map((e) => assertTaskEvent(e.type, e.data));
        const small = await new TaskAsOfQuery(api.store, 2).statesAt(
          id,
          stream.map((e) => e.revision),
        );
        for (const { revision, recordedAt } of stream) {
          const state = foldTaskEvents(events.slice(0, revision + 1));
          if (state.status === 'none') throw new Error('a task stream starts with TaskRegistered');
          const expected = {
            ...JSON.parse(JSON.stringify(toTaskView(id, state, revision))),
            recordedAt: recordedAt.toISOString(),
          };
          const byRevision = await api.request('GET', `/api/tasks/${id}?asOf=${revision}`);
          expect(byRevision.status).toBe(200);
          expect(byRevision.body).toEqual(expected);
          expect(small.get(revision)?.state).toEqual(state);

          const byInstant = await api.request('GET', `/api/tasks/${id}?asOf=${recordedAt.toISOString()}`);
          const lastByThen = stream.filter((e) => e.recordedAt <= recordedAt).at(-1)?.revision;
          expect(byInstant.body.revision).toBe(lastByThen);
        }
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
