import { Logger } from '@nestjs/common';
import type { TaskCommand } from '../../tasks/domain/task.commands';
import type { CommandOutcome, TaskCommandBatcher } from '../firing/task-command-batcher';
import type { ActionResult, ActionRunner } from './action-runner';
import { Foreground } from '../../runtime/foreground';
import { Executor, type StartedExecution } from './executor';

/** Outcomes are recorded only when the test says so: a commit that takes its time. */
class HeldCommands {
  readonly submitted: TaskCommand[] = [];
  private readonly release: (() => void)[] = [];
  submit(command: TaskCommand): Promise<CommandOutcome> {
    this.submitted.push(command);
    return new Promise((resolve) =>
      this.release.push(() =>
        resolve({ ok: true, events: [], snapshot: { state: { status: 'none' }, revision: 0 }, position: 0 }),
      ),
    );
  }
  releaseAll(): void {
    this.release.splice(0).forEach((release) => release());
  }
}

/** Actions that end when the test says so. */
class HeldActions {
  readonly started: number[] = [];
  /** The start instant each action was given. */
  readonly startAt: number[] = [];
  private readonly finish: (() => void)[] = [];
  run(_action: unknown, context: { occurrence: number; startAt: number }): Promise<ActionResult> {
    this.started.push(context.occurrence);
    this.startAt.push(context.startAt);
    return new Promise((resolve) => this.finish.push(() => resolve({ outcome: 'succeeded' })));
  }
  finishAll(): void {
    this.finish.splice(0).forEach((finish) => finish());
  }
}

const execution = (occurrence: number) =>
  ({
    taskId: 't',
    occurrence,
    attempt: 1,
    dueAt: '2026-12-02T00:00:00.000Z',
    startedAt: '2026-12-02T00:00:00.010Z',
    workerId: 'w',
    definition: { action: { kind: 'log', message: 'x' }, timeoutMs: 1000 },
    snapshot: { state: { status: 'none' }, revision: 0 },
  }) as unknown as StartedExecution;

/** An executor over held actions and held records; `foreground`, when given, is the process's. */
const executorOf = (
  actions: HeldActions,
  commands: HeldCommands,
  concurrency: number,
  foreground?: Foreground,
) =>
  new Executor(
    actions as unknown as ActionRunner,
    commands as unknown as TaskCommandBatcher,
    concurrency,
    () => undefined,
    foreground,
  );

const settle = () => new Promise((resolve) => setImmediate(resolve));
/** Past the window in which finished outcomes gather before they are recorded together. */
const window = () => new Promise((resolve) => setTimeout(resolve, 40));

describe('executor', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('runs at most `concurrency` actions at once', async () => {
    const actions = new HeldActions();
    const commands = new HeldCommands();
    const executor = executorOf(actions, commands, 2);
    [1, 2, 3].forEach((n) => executor.start(execution(n)));
    await settle();
    expect(actions.started).toEqual([1, 2]);
    actions.finishAll();
    await settle();
    expect(actions.started).toEqual([1, 2, 3]);
  });

  it('frees a slot when the action ends, not when its outcome is recorded', async () => {
    const actions = new HeldActions();
    const commands = new HeldCommands();
    const executor = executorOf(actions, commands, 2);
    [1, 2, 3, 4].forEach((n) => executor.start(execution(n)));
    await settle();
    actions.finishAll();
    await window();
    // The first two outcomes are still being recorded, yet the next two actions already run.
    expect(commands.submitted.map((c) => (c.data as { occurrence: number }).occurrence)).toEqual([1, 2]);
    expect(actions.started).toEqual([1, 2, 3, 4]);

    let drained = false;
    const drain = executor.drain().then(() => (drained = true));
    actions.finishAll();
    await settle();
    expect(drained).toBe(false); // the drain waits for every outcome to be recorded
    commands.releaseAll();
    await drain;
    expect(commands.submitted).toHaveLength(4);
  });

  it('holds outcomes while the foreground is busy, and records them together after it', async () => {
    const actions = new HeldActions();
    const commands = new HeldCommands();
    const foreground = new Foreground();
    let burst = 100; // e.g. a burst being fired elsewhere in the process
    foreground.add(() => burst);
    const executor = executorOf(actions, commands, 10, foreground);
    [1, 2, 3].forEach((n) => executor.start(execution(n)));
    await settle();
    actions.finishAll();
    await window();
    expect(commands.submitted).toHaveLength(0);
    burst = 0;
    executor.start(execution(4));
    await settle();
    actions.finishAll();
    await window();
    expect(commands.submitted.map((c) => (c.data as { occurrence: number }).occurrence).sort()).toEqual([
      1, 2, 3, 4,
    ]);
  });

  it('records held outcomes after a second even while the foreground stays busy', async () => {
    const actions = new HeldActions();
    const commands = new HeldCommands();
    const foreground = new Foreground();
    foreground.add(() => 1000);
    const executor = executorOf(actions, commands, 10, foreground);
    executor.start(execution(1));
    await settle();
    actions.finishAll();
    await window();
    expect(commands.submitted).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(commands.submitted).toHaveLength(0); // still held half a second in
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(commands.submitted).toHaveLength(1);
  });

  it("records a task's held outcome at once when that task is about to fire again", async () => {
    const actions = new HeldActions();
    const commands = new HeldCommands();
    const foreground = new Foreground();
    foreground.add(() => 1000); // a busy foreground would hold outcomes for a second
    const executor = executorOf(actions, commands, 10, foreground);
    executor.start({ ...execution(1), taskId: 'a' });
    executor.start({ ...execution(1), taskId: 'b' });
    await settle();
    actions.finishAll();
    await window();
    expect(commands.submitted).toHaveLength(0);
    executor.recordNow('a');
    executor.recordNow('unknown'); // nothing held: nothing happens
    await settle();
    expect(commands.submitted.map((c) => c.data.taskId)).toEqual(['a']);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(commands.submitted.map((c) => c.data.taskId)).toEqual(['a', 'b']);
  });

  it('hands a start decided ahead to the runner at once with its start instant, and the drain waits for it', async () => {
    const actions = new HeldActions();
    const commands = new HeldCommands();
    const executor = executorOf(actions, commands, 3);
    const at = Date.now() + 80;
    const ahead = (n: number) => ({ ...execution(n), startedAt: new Date(at).toISOString() });
    [1, 2, 3].forEach((n) => executor.start(ahead(n)));
    executor.start(execution(4)); // no slot left: it waits for one
    await settle();
    expect(actions.started).toEqual([1, 2, 3]);
    expect(actions.startAt).toEqual([at, at, at]);
    const drained = executor.drain();
    actions.finishAll();
    await settle();
    expect(actions.started).toEqual([1, 2, 3, 4]);
    expect(actions.startAt[3]).toBe(Date.parse(execution(4).startedAt));
    actions.finishAll();
    await settle();
    commands.releaseAll();
    await drained;
    expect(commands.submitted).toHaveLength(4);
  });
});
